/* modules: loading every .ko of a directory, in name order (NN-NAME.ko:
 * dependencies first), with finit_module. A module already there is fine;
 * one that fails is said on the console, and the guest goes on without
 * what it gives. */
#ifndef OOMTEST_GUEST_MODULES_H
#define OOMTEST_GUEST_MODULES_H

void modules_load_dir(const char *dir);

#endif
