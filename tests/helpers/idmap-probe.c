/* Runs idmap on one tree, as the runtime half of rule user_namespace would: idmap-probe HOST
 * SIZE SOURCE DIR NAME [recursive]. Makes an ID-mapped copy of SOURCE for container ids
 * 0..SIZE-1 = host HOST.., attaches it at DIR/NAME and prints "bind" or "overlay"; on failure
 * prints hardrun's message and exits 1. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idmap.h"

int main(int argc, char **argv)
{
        struct hr_error err = {0};
        struct idmap_range range;
        enum idmap_kind kind;
        int userns, fd, dir, mnt;

        if (argc < 6) {
                fprintf(stderr, "usage: %s HOST SIZE SOURCE DIR NAME [recursive]\n", argv[0]);
                return 2;
        }
        range = (struct idmap_range){(uint32_t)strtoul(argv[1], NULL, 10),
                                     (uint32_t)strtoul(argv[2], NULL, 10)};
        fd = open(argv[3], O_PATH | O_CLOEXEC);
        dir = open(argv[4], O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0 || dir < 0) {
                perror("open");
                return 1;
        }
        if (idmap_userns_open(&range, &range, &userns, &err) < 0 ||
            idmap_mount_tree(fd, argv[3], argc > 6, userns, dir, &mnt, &kind, &err) < 0 ||
            idmap_attach(mnt, dir, argv[5], &err) < 0) {
                printf("%s\n", err.msg);
                return 1;
        }
        printf("%s\n", kind == IDMAP_OVERLAY ? "overlay" : "bind");
        return 0;
}
