/* The path of one runtime invocation: argv → pass through, or harden the spec → exec. */
#pragma once

/* Returns only when the runtime could not be exec'd or the spec was refused: the exit status
 * for main. policy_path and lastgood_dir (where the last good policy is kept; NULL: none) are
 * fixed at build time for the installed binary. */
int shim_main(int argc, char **argv, const char *policy_path, const char *lastgood_dir);
