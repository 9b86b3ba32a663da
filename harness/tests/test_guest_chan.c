/* Tests for guest/chan.c's choice of device: the kernel command line says
 * which one the agent channel is (oomtest.chan=NAME), else the second
 * serial port. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "guest/chan.h"

static void test_device(void **state)
{
	char dev[32];

	(void)state;
	assert_int_equal(chan_device("console=ttyS0,115200 loglevel=7 panic=-1\n", dev, sizeof(dev)), 0);
	assert_string_equal(dev, "/dev/ttyS1");
	assert_int_equal(chan_device("", dev, sizeof(dev)), 0);
	assert_string_equal(dev, "/dev/ttyS1");
	assert_int_equal(chan_device("console=ttyAMA0 oomtest.chan=hvc0 oomtest.payload=1\n", dev, sizeof(dev)), 0);
	assert_string_equal(dev, "/dev/hvc0");
	/* the last one wins, as the kernel's own parameters */
	assert_int_equal(chan_device("oomtest.chan=ttyS1 x=1\toomtest.chan=hvc1", dev, sizeof(dev)), 0);
	assert_string_equal(dev, "/dev/hvc1");
	/* a longer word is not it */
	assert_int_equal(chan_device("xoomtest.chan=hvc0 oomtest.channel=hvc0", dev, sizeof(dev)), 0);
	assert_string_equal(dev, "/dev/ttyS1");
	/* no path outside /dev, nothing empty, nothing cut */
	assert_int_equal(chan_device("oomtest.chan=../sda", dev, sizeof(dev)), -1);
	assert_int_equal(chan_device("oomtest.chan=", dev, sizeof(dev)), 0);
	assert_string_equal(dev, "/dev/ttyS1");
	assert_int_equal(chan_device("oomtest.chan=averyveryverylongdevicename0123456789", dev, sizeof(dev)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_device),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
