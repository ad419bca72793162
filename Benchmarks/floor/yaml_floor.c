/*
 * yaml_floor — the lower bound for reading inventories: libyaml's event parser and
 * nothing else. No tree, no strings kept, no checks. `infra` has to do at least this
 * much work per byte, so its time is compared with this program's.
 *
 *   yaml_floor FILE...        parse every file named
 *   yaml_floor @LIST          parse every file named in LIST (one path a line)
 *
 * Prints the number of events and files on stdout. Exit 1 if a file cannot be
 * opened or has a YAML syntax error (reported on stderr, parsing goes on).
 *
 * Build: cc -O2 -o Benchmarks/out/yaml_floor Benchmarks/floor/yaml_floor.c -lyaml
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static unsigned long long events;
static unsigned long files;
static int failed;

static void parse_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        failed = 1;
        return;
    }
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        fprintf(stderr, "%s: cannot initialise the libyaml parser\n", path);
        exit(2);
    }
    yaml_parser_set_input_file(&parser, f);
    yaml_event_t event;
    for (;;) {
        if (!yaml_parser_parse(&parser, &event)) {
            fprintf(stderr, "%s:%lu:%lu: %s\n", path, (unsigned long)parser.problem_mark.line + 1,
                    (unsigned long)parser.problem_mark.column + 1,
                    parser.problem ? parser.problem : "syntax error");
            failed = 1;
            break;
        }
        events++;
        int done = event.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&event);
        if (done) break;
    }
    yaml_parser_delete(&parser);
    fclose(f);
    files++;
}

static void parse_list(const char *list) {
    FILE *f = fopen(list, "r");
    if (!f) {
        perror(list);
        exit(2);
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
        if (n > 0) parse_file(line);
    }
    free(line);
    fclose(f);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE... | @LIST\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '@')
            parse_list(argv[i] + 1);
        else
            parse_file(argv[i]);
    }
    printf("%llu events in %lu files\n", events, files);
    return failed;
}
