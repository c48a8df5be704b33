/* Runs the fuzz target once over every file of a folder: the corpus stays a
 * regression test with compilers that have no libFuzzer. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return 1;
    unsigned char *data = NULL;
    size_t size = 0, cap = 0, n;
    do {
        if (size == cap)
            data = realloc(data, cap = cap ? cap * 2 : 4096);
        n = fread(data + size, 1, cap - size, f);
        size += n;
    } while (n > 0);
    fclose(f);
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    DIR *dir = opendir(argv[1]);
    if (!dir) {
        perror(argv[1]);
        return 2;
    }
    int failed = 0, count = 0;
    char path[4096];
    for (struct dirent *e; (e = readdir(dir));) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
        failed |= run_file(path);
        count++;
    }
    closedir(dir);
    printf("%d inputs run\n", count);
    return failed || count == 0;
}
