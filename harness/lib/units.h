/* units: parsing sizes (512K 128M 1G 4096, an optional "iB"), durations
 * (2s 500ms 1m; a bare number is seconds) and yes/no words. Each returns 0,
 * or -1 for text that is not one (the output is then untouched). */
#ifndef OOMTEST_UNITS_H
#define OOMTEST_UNITS_H

int units_parse_size(const char *s, unsigned long long *bytes);
int units_parse_duration(const char *s, long *ms);
int units_parse_bool(const char *s, int *b); /* yes/true/1, no/false/0, any case */

#endif
