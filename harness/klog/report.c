/* report: lines inside an open report. */
#include "klog/report.h"

#include <stdlib.h>
#include <string.h>

#include "klog/meminfo.h"
#include "klog/memcg.h"
#include "klog/tasks.h"


bool on_report_line(struct klog *k, struct oom_event *ev, struct span m)
{
	struct span s = m;
	const char *e;

	if (ev->sec == SEC_TASKS && PFX(m, "[") && on_task_row(ev, m))
		return true;
	if (ev->sec == SEC_MEMCG_STATS) {
		if (on_stat_line(ev, m))
			return true;
		ev->sec = SEC_MEMCG;
	}
	if (PFX(m, "[") && on_task_header(ev, m)) {
		k->foreign = false;
		return true;
	}
	if (PFX(m, "Tasks state"))
		return true;
	if (k->foreign)
		return false;
	if (ev->sec == SEC_HEADER) {
		if (EAT(&s, "CPU: ")) {
			/* "CPU: 3 [UID: 0 ]PID: 473206 Comm: doxygen ..." */
			const char *p = FIND(s, "PID: ");
			long long pid;

			if (!p || ev->invoker_pid != NONE)
				return true;
			s = mkspan(p + 5, (size_t)(s.p + s.n - p - 5));
			if (eat_num(&s, &pid) && EAT(&s, " Comm: ") && ev->invoker &&
			    has_prefix(s, ev->invoker, strlen(ev->invoker)) &&
			    (s.n == strlen(ev->invoker) || s.p[strlen(ev->invoker)] == ' '))
				ev->invoker_pid = pid;
			return true;
		}
		if (ev->invoker && has_prefix(s, ev->invoker, strlen(ev->invoker))) {
			skip(&s, strlen(ev->invoker));
			if (EAT(&s, " cpuset=")) {
				const char *p = NULL;
				for (const char *q = s.p; (q = find_from(s, q, " mems_allowed=")); q++)
					p = q;
				if (p) {
					set_str(&ev->cpuset, cut(&s, p));
					skip(&s, 14);
					set_str(&ev->mems_allowed, s);
				} else {
					set_str(&ev->cpuset, s);
				}
				return true;
			}
			s = m;
		}
	}
	switch (m.p[0]) {
	case 'M':
		if (PFX(m, "Mem-Info:") || PFX(m, "Mem-info:")) {
			ev->sec = SEC_MEMINFO;
			return true;
		}
		if (EAT(&s, "Memory cgroup stats for ")) {
			on_memcg_stats(ev, s);
			return true;
		}
		if (EAT(&s, "Memory limit reached of cgroup ")) {
			rtrim(&s);
			set_str(&ev->old_limit_memcg, s);
			return true;
		}
		break;
	case 'N':
		if (on_node_line(k, ev, m))
			return true;
		break;
	case 'T':
		if (EAT(&s, "Task in ")) {
			e = FIND(s, " killed as a result of limit of ");
			if (!e)
				return false;
			set_str(&ev->old_task_memcg, cut(&s, e));
			skip(&s, 32);
			rtrim(&s);
			set_str(&ev->old_limit_memcg, s);
			return true;
		}
		if (EAT(&s, "Total swap = ")) {
			long long v;
			if (eat_num(&s, &v)) {
				kv_addstr(ev, &ev->totals, "total_swap_kb", v);
				return true;
			}
		}
		break;
	case 'F':
		if (EAT(&s, "Free swap")) {
			long long v;
			skip_spaces(&s);
			if (EAT(&s, "= ") && eat_num(&s, &v)) {
				kv_addstr(ev, &ev->totals, "free_swap_kb", v);
				return true;
			}
		}
		break;
	case 'U':
		if (PFX(m, "Unreclaimable slab info:")) {
			ev->sec = SEC_SLAB;
			return true;
		}
		break;
	case 'l':
		if (EAT(&s, "lowmem_reserve[]:")) {
			on_lowmem(ev, s);
			return true;
		}
		break;
	case 'm':
	case 'k':
	case 's':
		if (on_memcg_counter(ev, m))
			return true;
		break;
	default:
		break;
	}
	if (ev->sec == SEC_MEMINFO) {
		if ((m.p[0] == ' ' || (m.p[0] >= 'a' && m.p[0] <= 'z')) &&
		    parse_kv_tokens(ev, &ev->meminfo, m, true))
			return true;
		if (is_digit(m.p[0]) && on_total(ev, m))
			return true;
		if (is_alnum(m.p[0]) && (on_zone(ev, -1, m) || on_buddy(k, ev, -1, m)))
			return true;
	} else if (is_digit(m.p[0]) && on_total(ev, m)) {
		return true;
	}
	return ev->sec == SEC_SLAB || ev->sec == SEC_TASKS;
}
