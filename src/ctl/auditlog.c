/* Audit log summaries: a bounded line reader, json_parse per line, counters per rule and per
 * container in a small open-addressing index. */
#include "auditlog.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "bounds.h"
#include "policy.h"
#include "util/cleanup.h"
#include "util/hash.h"

/* ---- --since ---- */

static bool parse_digits(const char **p, int n, int *ret)
{
        int v = 0;

        for (int i = 0; i < n; i++) {
                if (!isdigit((unsigned char)(*p)[i]))
                        return false;
                v = v * 10 + ((*p)[i] - '0');
        }
        *p += n;
        *ret = v;
        return true;
}

static bool parse_absolute(const char *s, struct tm *tm)
{
        int year, mon, day, hour = 0, min = 0, sec = 0;
        struct tm check;
        time_t t;

        if (!parse_digits(&s, 4, &year) || *s++ != '-' || !parse_digits(&s, 2, &mon) ||
            *s++ != '-' || !parse_digits(&s, 2, &day))
                return false;
        if (*s == 'T' || *s == ' ') {
                s++;
                if (!parse_digits(&s, 2, &hour) || *s++ != ':' || !parse_digits(&s, 2, &min))
                        return false;
                if (*s == ':' && (s++, !parse_digits(&s, 2, &sec)))
                        return false;
        }
        if (*s == 'Z')
                s++;
        if (*s != '\0' || year < 1970 || mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 ||
            min > 59 || sec > 59)
                return false;
        *tm = (struct tm){.tm_year = year - 1900,
                          .tm_mon = mon - 1,
                          .tm_mday = day,
                          .tm_hour = hour,
                          .tm_min = min,
                          .tm_sec = sec};
        /* timegm normalises 2024-02-30 to March: such a date does not exist. */
        check = *tm;
        t = timegm(&check);
        return t != (time_t)-1 && check.tm_mday == day && check.tm_mon == mon - 1;
}

int auditlog_since_parse(const char *arg, time_t now, char *buf, size_t size, struct hr_error *err)
{
        size_t digits = strspn(arg, "0123456789");
        struct tm tm;

        if (size < 20)
                return error_set(err, -EINVAL, "buffer too small");
        if (digits > 0 && digits <= 9 && arg[digits] && strchr("smhd", arg[digits]) &&
            arg[digits + 1] == '\0') {
                char unit_char = arg[digits];
                long long n = atoll(arg);
                long long unit = unit_char == 's'   ? 1
                                 : unit_char == 'm' ? 60
                                 : unit_char == 'h' ? 3600
                                                    : 86400;
                time_t t;
                if (n * unit > (long long)now)
                        return error_set(err, -ERANGE, "'%s' reaches back before 1970", arg);
                t = now - (time_t)(n * unit);
                gmtime_r(&t, &tm);
        } else if (!parse_absolute(arg, &tm)) {
                return error_set(err, -EINVAL,
                                 "'%s' is not a time: use YYYY-MM-DD[THH:MM[:SS]][Z] (UTC) or "
                                 "a duration such as 30m, 12h, 7d",
                                 arg);
        }
        strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
        return 0;
}

/* ---- reading lines ---- */

struct auditlog_reader {
        int fd;
        char chunk[64 * 1024];
        size_t pos, len;
        unsigned long long left; /* bytes we may still read */
        char line[AUDITLOG_LINE_MAX + 1];
        size_t line_len;
        bool too_long, in_line, returned;
};

struct auditlog_reader *auditlog_reader_new(int fd, unsigned long long max_bytes)
{
        struct auditlog_reader *r = malloc(sizeof(*r));

        if (r) {
                auditlog_reader_reset(r, fd);
                r->left = max_bytes;
        }
        return r;
}

struct auditlog_reader *auditlog_reader_free(struct auditlog_reader *r)
{
        free(r);
        return NULL;
}

void auditlog_reader_reset(struct auditlog_reader *r, int fd)
{
        r->fd = fd;
        r->pos = r->len = 0;
        r->line_len = 0;
        r->too_long = r->in_line = r->returned = false;
}

size_t auditlog_reader_pending(const struct auditlog_reader *r)
{
        return r->in_line ? r->line_len + (r->too_long ? 1 : 0) : 0;
}

static int reader_fill(struct auditlog_reader *r)
{
        size_t want = sizeof(r->chunk);
        ssize_t n;

        if (r->left == 0)
                return 0;
        if (want > r->left)
                want = (size_t)r->left;
        do
                n = read(r->fd, r->chunk, want);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return -errno;
        r->pos = 0;
        r->len = (size_t)n;
        r->left -= (size_t)n;
        return 0;
}

int auditlog_reader_next(struct auditlog_reader *r, bool follow, const char **ret_line,
                         size_t *ret_len, bool *ret_too_long)
{
        int e;

        if (r->returned) {
                r->line_len = 0;
                r->too_long = r->in_line = r->returned = false;
        }
        for (;;) {
                char *nl;
                size_t take;
                if (r->pos == r->len && (e = reader_fill(r)) < 0)
                        return e;
                /* The end for now: a log being followed grows, the next call reads on. */
                if (r->pos == r->len) {
                        if (follow || !r->in_line)
                                return 0;
                        break;
                }
                r->in_line = true;
                nl = memchr(r->chunk + r->pos, '\n', r->len - r->pos);
                take = nl ? (size_t)(nl - (r->chunk + r->pos)) : r->len - r->pos;
                if (!r->too_long && r->line_len + take <= AUDITLOG_LINE_MAX) {
                        memcpy(r->line + r->line_len, r->chunk + r->pos, take);
                        r->line_len += take;
                } else {
                        r->too_long = true;
                }
                r->pos += take;
                if (nl) {
                        r->pos++;
                        break;
                }
        }
        r->line[r->line_len] = '\0';
        r->returned = true;
        *ret_line = r->line;
        *ret_len = r->line_len;
        *ret_too_long = r->too_long;
        return 1;
}

/* ---- counting ---- */

static int rule_slot(struct auditlog_summary *s, const char *name, size_t *ret)
{
        for (size_t i = 0; i < s->n_rules; i++)
                if (strcmp(s->rules[i].name, name) == 0) {
                        *ret = i;
                        return 0;
                }
        if (s->n_rules == AUDITLOG_RULES_MAX)
                return -E2BIG;
        s->rules[s->n_rules].name = strdup(name);
        if (!s->rules[s->n_rules].name)
                return -ENOMEM;
        *ret = s->n_rules++;
        return 0;
}

static int workload_slot(struct auditlog_summary *s, const char *container,
                         const struct json *workload, size_t *ret)
{
        size_t mask, i;

        if (!s->index) {
                s->index_size = 1024;
                s->index = calloc(s->index_size, sizeof(*s->index));
                if (!s->index)
                        return -ENOMEM;
        }
        /* Slots hold index + 1; 0 is empty. The table stays at most half full. */
        mask = s->index_size - 1;
        for (i = hash_fnv1a_str(container) & mask; s->index[i]; i = (i + 1) & mask)
                if (strcmp(s->workloads[s->index[i] - 1].container, container) == 0) {
                        *ret = s->index[i] - 1;
                        return 0;
                }
        if (s->n_workloads == AUDITLOG_WORKLOADS_MAX)
                return strcmp(container, "(other)") == 0 ? -E2BIG
                                                         : workload_slot(s, "(other)", NULL, ret);
        if ((s->n_workloads & 1023) == 0) {
                struct auditlog_workload *w =
                        realloc(s->workloads, (s->n_workloads + 1024) * sizeof(*w));
                if (!w)
                        return -ENOMEM;
                s->workloads = w;
        }
        s->workloads[s->n_workloads] = (struct auditlog_workload){
                .container = strdup(container),
                .workload = workload ? json_clone(workload) : NULL,
                .order = s->n_workloads,
        };
        if (!s->workloads[s->n_workloads].container ||
            (workload && !s->workloads[s->n_workloads].workload)) {
                free(s->workloads[s->n_workloads].container);
                json_free(s->workloads[s->n_workloads].workload);
                return -ENOMEM;
        }
        s->index[i] = ++s->n_workloads;
        *ret = s->n_workloads - 1;
        if (s->n_workloads * 2 > s->index_size) {
                size_t size = s->index_size * 2;
                size_t *index = calloc(size, sizeof(*index));
                if (!index)
                        return -ENOMEM;
                for (size_t w = 0; w < s->n_workloads; w++) {
                        size_t j = hash_fnv1a_str(s->workloads[w].container) & (size - 1);
                        while (index[j])
                                j = (j + 1) & (size - 1);
                        index[j] = w + 1;
                }
                free(s->index);
                s->index = index;
                s->index_size = size;
        }
        return 0;
}

static const char *string_member(const struct json *obj, const char *key)
{
        const struct json *v = json_object_get(obj, key);

        return json_is_clean_string(v) ? v->scalar.text : NULL;
}

/* A summary's {"ACTION": ["RULE", ...]}: known actions, arrays of rule names. */
static bool is_summary(const struct json *v)
{
        if (!v || v->type != JSON_OBJECT)
                return false;
        for (size_t i = 0; i < v->object.n; i++) {
                const struct json *rules = v->object.members[i].value;
                if (finding_action_from_string(v->object.members[i].key) == _FINDING_ACTION_MAX ||
                    rules->type != JSON_ARRAY)
                        return false;
                for (size_t j = 0; j < rules->array.n; j++)
                        if (!json_is_clean_string(rules->array.items[j]))
                                return false;
        }
        return true;
}

/* Annotation keys inside "workload" are Go map keys: exact. */
static const char *const workload_maps[] = {"workload", NULL};

int auditlog_record_parse(const char *line, size_t len, struct auditlog_record *ret)
{
        static const struct json_limits limits = {
                .max_bytes = AUDITLOG_LINE_MAX,
                .max_depth = HR_JSON_MAX_DEPTH,
                .max_members = HR_JSON_MAX_MEMBERS,
                .map_members = workload_maps,
        };
        struct hr_error err = {0};
        struct auditlog_record rec = {0};
        const char *action;
        const struct json *c;

        if (json_parse(line, len, &limits, &rec.doc, &err) < 0)
                return err.code == -ENOMEM ? -ENOMEM : -EINVAL;
        rec.time = string_member(rec.doc, "time");
        rec.rule = string_member(rec.doc, "rule");
        rec.container = string_member(rec.doc, "container");
        rec.summary = json_object_get(rec.doc, "summary");
        rec.workload = json_object_get(rec.doc, "workload");
        action = string_member(rec.doc, "action");
        rec.action = action ? finding_action_from_string(action) : _FINDING_ACTION_MAX;
        c = json_object_get(rec.doc, "container");
        if (rec.doc->type != JSON_OBJECT || !rec.time || rec.action == _FINDING_ACTION_MAX ||
            (c && !rec.container && c->type != JSON_NULL) ||
            (rec.rule ? rec.summary != NULL : !is_summary(rec.summary))) {
                json_free(rec.doc);
                return -EINVAL;
        }
        if (rec.workload && rec.workload->type != JSON_OBJECT)
                rec.workload = NULL;
        *ret = rec;
        return 0;
}

void auditlog_record_done(struct auditlog_record *rec)
{
        json_free(rec->doc);
        *rec = (struct auditlog_record){0};
}

/* Calls fn for each rule and action of the record that the filter's rule and action keep: the
 * one of a finding's record, each of a summary's. Stops at fn's first non-zero. */
static int for_each_rule(const struct auditlog_filter *f, const struct auditlog_record *rec,
                         int (*fn)(const char *rule, enum finding_action action, void *data),
                         void *data)
{
        int r = 0;

        if (rec->rule) {
                if ((f->rule && strcmp(rec->rule, f->rule) != 0) ||
                    (f->action && strcmp(finding_action_to_string(rec->action), f->action) != 0))
                        return 0;
                return fn(rec->rule, rec->action, data);
        }
        for (size_t i = 0; r == 0 && i < rec->summary->object.n; i++) {
                const struct json_member *m = &rec->summary->object.members[i];
                if (f->action && strcmp(m->key, f->action) != 0)
                        continue;
                for (size_t j = 0; r == 0 && j < m->value->array.n; j++) {
                        const char *rule = m->value->array.items[j]->scalar.text;
                        if (!f->rule || strcmp(rule, f->rule) == 0)
                                r = fn(rule, finding_action_from_string(m->key), data);
                }
        }
        return r;
}

static int found(const char *rule, enum finding_action action, void *data)
{
        (void)rule, (void)action, (void)data;
        return 1;
}

bool auditlog_record_matches(const struct auditlog_filter *f, const struct auditlog_record *rec)
{
        if (f->since && strncmp(rec->time, f->since, strlen(f->since)) < 0)
                return false;
        if (f->container &&
            (!rec->container || strncmp(rec->container, f->container, strlen(f->container)) != 0))
                return false;
        return for_each_rule(f, rec, found, NULL) > 0;
}

struct counting {
        struct auditlog_summary *s;
        size_t workload;
};

static int count_rule(const char *rule, enum finding_action action, void *data)
{
        struct counting *c = data;
        struct auditlog_workload *w = &c->s->workloads[c->workload];
        size_t ri;
        int r = rule_slot(c->s, rule, &ri);

        /* Past the rule limit a record still counts as read, not as a failure. */
        if (r < 0)
                return r == -E2BIG ? 0 : r;
        c->s->rules[ri].counts.n[action]++;
        w->counts.n[action]++;
        w->rules |= UINT64_C(1) << ri;
        return 0;
}

/* 1 counted, 0 filtered out, -EINVAL not an audit record, another negative errno on failure. */
static int count_record(struct auditlog_summary *s, const struct auditlog_filter *f,
                        const char *line, size_t len)
{
        struct auditlog_record rec;
        struct counting c = {s, 0};
        int r = auditlog_record_parse(line, len, &rec);

        if (r < 0)
                return r;
        if (!auditlog_record_matches(f, &rec)) {
                auditlog_record_done(&rec);
                return 0;
        }
        r = workload_slot(s, rec.container ? rec.container : "(none)", rec.workload, &c.workload);
        if (r == 0)
                r = for_each_rule(f, &rec, count_rule, &c);
        if (r == 0 && !s->workloads[c.workload].workload && rec.workload &&
            !(s->workloads[c.workload].workload = json_clone(rec.workload)))
                r = -ENOMEM;
        if (r < 0) {
                auditlog_record_done(&rec);
                return r == -E2BIG ? 0 : r;
        }
        if (!s->first[0])
                snprintf(s->first, sizeof(s->first), "%s", rec.time);
        snprintf(s->last, sizeof(s->last), "%s", rec.time);
        s->matched++;
        auditlog_record_done(&rec);
        return 1;
}

/* Known rules in the order they run, then others (from a newer hardrun) as they appeared; the
 * workloads' rule bits follow the rows. */
static void sort_rules(struct auditlog_summary *s)
{
        struct auditlog_rule sorted[AUDITLOG_RULES_MAX];
        size_t rank[AUDITLOG_RULES_MAX], new_index[AUDITLOG_RULES_MAX];

        for (size_t i = 0; i < s->n_rules; i++) {
                enum rule_id id = rule_id_from_string(s->rules[i].name);
                rank[i] = id >= 0 ? (size_t)id : _RULE_MAX + i;
        }
        /* At most AUDITLOG_RULES_MAX rows: count the smaller ranks. */
        for (size_t i = 0; i < s->n_rules; i++) {
                new_index[i] = 0;
                for (size_t j = 0; j < s->n_rules; j++)
                        new_index[i] += rank[j] < rank[i];
                sorted[new_index[i]] = s->rules[i];
        }
        memcpy(s->rules, sorted, s->n_rules * sizeof(*sorted));
        for (size_t w = 0; w < s->n_workloads; w++) {
                uint64_t mask = 0;
                for (size_t i = 0; i < s->n_rules; i++)
                        if (s->workloads[w].rules & (UINT64_C(1) << i))
                                mask |= UINT64_C(1) << new_index[i];
                s->workloads[w].rules = mask;
        }
}

static unsigned long long total(const struct auditlog_counts *c)
{
        unsigned long long t = 0;

        for (int a = 0; a < _FINDING_ACTION_MAX; a++)
                t += c->n[a];
        return t;
}

static int workload_cmp(const void *x, const void *y)
{
        const struct auditlog_workload *a = x, *b = y;
        unsigned long long ta = total(&a->counts), tb = total(&b->counts);

        if (ta != tb)
                return ta > tb ? -1 : 1;
        return a->order < b->order ? -1 : a->order > b->order;
}

int auditlog_summarise(int fd, const char *name, const struct auditlog_filter *filter,
                       struct auditlog_summary *ret, struct hr_error *err)
{
        struct auditlog_reader *rd = auditlog_reader_new(fd, AUDITLOG_MAX_BYTES);
        struct auditlog_summary s = {0};
        const char *line;
        struct stat st;
        bool too_long;
        size_t len;
        int r;

        if (!rd)
                return error_set(err, -ENOMEM, "out of memory");
        /* A larger file is read from its end, the first (cut) line dropped. */
        if (fstat(fd, &st) < 0) {
                r = error_set(err, -errno, "%s: cannot stat: %s", name, strerror(errno));
                goto fail;
        }
        if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > AUDITLOG_MAX_BYTES) {
                off_t from = st.st_size - (off_t)AUDITLOG_MAX_BYTES;
                if (lseek(fd, from, SEEK_SET) < 0) {
                        r = error_set(err, -errno, "%s: cannot seek: %s", name, strerror(errno));
                        goto fail;
                }
                s.truncated = true;
                if ((r = auditlog_reader_next(rd, false, &line, &len, &too_long)) < 0) {
                        r = error_set(err, r, "%s: cannot read: %s", name, strerror(-r));
                        goto fail;
                }
        }
        while ((r = auditlog_reader_next(rd, false, &line, &len, &too_long)) > 0) {
                if (too_long) {
                        s.lines++;
                        s.too_long++;
                        continue;
                }
                if (len == 0)
                        continue;
                s.lines++;
                r = count_record(&s, filter, line, len);
                if (r == -EINVAL) {
                        s.unparseable++;
                } else if (r < 0) {
                        r = error_set(err, r, "out of memory");
                        goto fail;
                }
        }
        if (r < 0) {
                r = error_set(err, r, "%s: cannot read: %s", name, strerror(-r));
                goto fail;
        }
        /* A pipe read up to the bound: the rest was not read. */
        if (rd->left == 0 && !S_ISREG(st.st_mode))
                s.truncated = true;
        auditlog_reader_free(rd);
        sort_rules(&s);
        if (s.n_workloads > 1)
                qsort(s.workloads, s.n_workloads, sizeof(*s.workloads), workload_cmp);
        free(s.index);
        s.index = NULL;
        s.index_size = 0;
        *ret = s;
        return 0;
fail:
        auditlog_reader_free(rd);
        auditlog_summary_done(&s);
        return r;
}

void auditlog_summary_done(struct auditlog_summary *s)
{
        for (size_t i = 0; i < s->n_rules; i++)
                free(s->rules[i].name);
        for (size_t i = 0; i < s->n_workloads; i++) {
                free(s->workloads[i].container);
                json_free(s->workloads[i].workload);
        }
        free(s->workloads);
        free(s->index);
        *s = (struct auditlog_summary){0};
}

/* ---- output ---- */

void auditlog_workload_describe(const struct json *workload, char *buf, size_t size)
{
        char pod[512];
        const char *ctr = audit_workload_name(workload);
        const char *image = audit_workload_image(workload);
        const char *host = string_member(workload, "hostname");
        bool has_pod = audit_workload_pod(workload, pod, sizeof(pod));
        size_t o = 0;

        buf[0] = '\0';
        if (!workload || workload->type != JSON_OBJECT)
                return;
        if (has_pod)
                o += (size_t)snprintf(buf, size, "%s%s%s", pod, ctr ? "/" : "", ctr ? ctr : "");
        else if (ctr)
                o += (size_t)snprintf(buf, size, "%s", ctr);
        if (image && o < size)
                o += (size_t)snprintf(buf + o, size - o, "%simage %s", o ? " " : "", image);
        if (!has_pod && !ctr && host && o < size)
                snprintf(buf + o, size - o, "%shostname %s", o ? " " : "", host);
}

bool auditlog_is_engine_id(const char *id)
{
        return strlen(id) == 64 && strspn(id, "0123456789abcdef") == 64;
}

static void print_counts(FILE *out, const struct auditlog_counts *c)
{
        fprintf(out, " %8llu %12llu %10llu %7llu %9llu %9llu", c->n[FINDING_CHANGED],
                c->n[FINDING_WOULD_CHANGE], c->n[FINDING_WOULD_DENY], c->n[FINDING_DENIED],
                c->n[FINDING_DETECTED], c->n[FINDING_EXEMPTED]);
}

void auditlog_print_text(FILE *out, const char *name, const struct auditlog_summary *s)
{
        struct auditlog_counts sum = {{0}};
        int width = 5;

        fprintf(out, "audit log %s: %llu record%s matched", name, s->matched,
                s->matched == 1 ? "" : "s");
        if (s->unparseable)
                fprintf(out, "; skipped %llu unparseable line%s", s->unparseable,
                        s->unparseable == 1 ? "" : "s");
        if (s->too_long)
                fprintf(out, "; skipped %llu line%s over %u bytes", s->too_long,
                        s->too_long == 1 ? "" : "s", AUDITLOG_LINE_MAX);
        fputc('\n', out);
        if (s->truncated)
                fprintf(out, "only the last %llu MiB were read\n", AUDITLOG_MAX_BYTES >> 20);
        if (s->matched == 0)
                return;
        fprintf(out, "from %s to %s\n\n", s->first, s->last);

        for (size_t i = 0; i < s->n_rules; i++)
                if ((int)strlen(s->rules[i].name) > width)
                        width = (int)strlen(s->rules[i].name);
        fprintf(out, "%-*s %8s %12s %10s %7s %9s %9s\n", width, "RULE", "CHANGED", "WOULD_CHANGE",
                "WOULD_DENY", "DENIED", "DETECTED", "EXEMPTED");
        for (size_t i = 0; i < s->n_rules; i++) {
                fprintf(out, "%-*s", width, s->rules[i].name);
                print_counts(out, &s->rules[i].counts);
                fputc('\n', out);
                for (int a = 0; a < _FINDING_ACTION_MAX; a++)
                        sum.n[a] += s->rules[i].counts.n[a];
        }
        fprintf(out, "%-*s", width, "total");
        print_counts(out, &sum);
        fprintf(out, "\n\n%-12s %8s %12s %10s %7s %9s %9s  %s\n", "CONTAINER", "CHANGED",
                "WOULD_CHANGE", "WOULD_DENY", "DENIED", "DETECTED", "EXEMPTED", "WORKLOAD (RULES)");
        for (size_t i = 0; i < s->n_workloads; i++) {
                const struct auditlog_workload *w = &s->workloads[i];
                char desc[512];
                const char *sep = "";

                /* Engines' ids are 64 hex digits; 12 name a container as docker ps does.
                 * Other names (podman's, ctr's) are shown whole. */
                fprintf(out, auditlog_is_engine_id(w->container) ? "%-12.12s" : "%-12s",
                        w->container);
                print_counts(out, &w->counts);
                auditlog_workload_describe(w->workload, desc, sizeof(desc));
                fprintf(out, "  %s%s(", desc, desc[0] ? " " : "");
                for (size_t r = 0; r < s->n_rules; r++)
                        if (w->rules & (UINT64_C(1) << r)) {
                                fprintf(out, "%s%s", sep, s->rules[r].name);
                                sep = ",";
                        }
                fputs(")\n", out);
        }
}

static int counts_json(struct json *obj, const struct auditlog_counts *c)
{
        int r = 0;

        for (int a = 0; r == 0 && a < _FINDING_ACTION_MAX; a++) {
                r = json_object_set(obj, finding_action_to_string((enum finding_action)a),
                                    json_new_uint(c->n[a]));
        }
        return r;
}

static int workload_json(const struct auditlog_summary *s, const struct auditlog_workload *w,
                         struct json **ret)
{
        struct json *obj = json_new_object(), *rules = json_new_array();
        int r = obj && rules ? 0 : -ENOMEM;

        if (r == 0 && (r = json_object_set(obj, "container", json_new_string(w->container))) == 0)
                r = json_object_set(obj, "workload",
                                    w->workload ? json_clone(w->workload) : json_new_null());
        for (size_t i = 0; r == 0 && i < s->n_rules; i++)
                if (w->rules & (UINT64_C(1) << i))
                        r = json_array_append(rules, json_new_string(s->rules[i].name));
        if (r == 0) {
                r = json_object_set(obj, "rules", rules);
                rules = NULL;
        }
        if (r == 0)
                r = counts_json(obj, &w->counts);
        if (r < 0) {
                json_free(rules);
                json_free(obj);
                return r;
        }
        *ret = obj;
        return 0;
}

int auditlog_to_json(const char *name, const struct auditlog_summary *s, struct json **ret,
                     struct hr_error *err)
{
        struct json *doc = json_new_object(), *skipped = json_new_object();
        struct json *rules = json_new_array(), *workloads = json_new_array();
        int r = doc && skipped && rules && workloads ? 0 : -ENOMEM;

        if (r == 0 && (r = json_object_set(doc, "file", json_new_string(name))) == 0 &&
            (r = json_object_set(doc, "lines", json_new_uint(s->lines))) == 0 &&
            (r = json_object_set(doc, "matched", json_new_uint(s->matched))) == 0 &&
            (r = json_object_set(skipped, "unparseable", json_new_uint(s->unparseable))) == 0 &&
            (r = json_object_set(skipped, "too_long", json_new_uint(s->too_long))) == 0) {
                r = json_object_set(doc, "skipped", skipped);
                skipped = NULL;
        }
        if (r == 0 && (r = json_object_set(doc, "truncated", json_new_bool(s->truncated))) == 0 &&
            (r = json_object_set(doc, "first",
                                 s->first[0] ? json_new_string(s->first) : json_new_null())) == 0)
                r = json_object_set(doc, "last",
                                    s->last[0] ? json_new_string(s->last) : json_new_null());
        for (size_t i = 0; r == 0 && i < s->n_rules; i++) {
                struct json *row = json_new_object();
                r = row ? json_object_set(row, "rule", json_new_string(s->rules[i].name)) : -ENOMEM;
                if (r == 0)
                        r = counts_json(row, &s->rules[i].counts);
                if (r == 0)
                        r = json_array_append(rules, row);
                else
                        json_free(row);
        }
        for (size_t i = 0; r == 0 && i < s->n_workloads; i++) {
                struct json *row;
                r = workload_json(s, &s->workloads[i], &row);
                if (r == 0)
                        r = json_array_append(workloads, row);
        }
        if (r == 0) {
                r = json_object_set(doc, "rules", rules);
                rules = NULL;
        }
        if (r == 0) {
                r = json_object_set(doc, "workloads", workloads);
                workloads = NULL;
        }
        json_free(skipped);
        json_free(rules);
        json_free(workloads);
        if (r < 0) {
                json_free(doc);
                return error_set(err, r, "out of memory");
        }
        *ret = doc;
        return 0;
}
