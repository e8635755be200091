// SPDX-License-Identifier: GPL-2.0-or-later
/* test-kindex.c: unit tests of the kill rules' index (policy/kill-index.c): an exec's facts and keys rule out only rules that cannot hold for it, by a model of the probes of bpf/kill-rules.bpf.c. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/event.h"
#include "core/strbuf.h"
#include "config/config.h"
#include "policy/kill-compile.h"
#include "policy/match.h"
#include "policy/policy.h"
#include "policy/rule.h"

static const struct container ctr = {
	.id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	.short_id = "0123456789ab",
	.name = "web",
};


/* The bytes of the BPF event a probe reads: around each path area, bytes
 * of other fields (not NUL), as the kernel's payload has. */
#define GARBAGE	0xa5

/* A path as the kernel walks it: leaf-first NUL-ended components, at
 * offset 8 of a buffer of other bytes. */
struct karea {
	unsigned char b[TE_PATH_BUF + 16];
	size_t len;
};

static void area_of(struct karea *a, const char *path)
{
	size_t end = strlen(path), start;

	memset(a->b, GARBAGE, sizeof(a->b));
	a->len = 0;
	while (end > 0) {
		start = end;
		while (start > 0 && path[start - 1] != '/')
			start--;
		if (end > start) {
			memcpy(a->b + 8 + a->len, path + start, end - start);
			a->len += end - start;
			a->b[8 + a->len++] = '\0';
		}
		end = start ? start - 1 : 0;
	}
}

static uint64_t word(const unsigned char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return w;
}

/* What the kernel knows of an exec, for the index. */
struct kev {
	unsigned char comm[16], pcomm[16];
	uint32_t ids[3];
	uint32_t facts;
	struct karea path[4];	/* exe, file, cwd, parent exe */
};

static void kev_of(struct kev *k, const struct exec_event *ev)
{
	static const int paths[4] = { EXEC_PATH_EXE, EXEC_PATH_FILE,
				      EXEC_PATH_CWD, EXEC_PATH_PARENT_EXE };
	int i;

	memset(k->comm, 0, 16);			/* bpf_get_current_comm pads */
	memcpy(k->comm, ev->comm, strlen(ev->comm));
	memset(k->pcomm, GARBAGE, 16);		/* a string read does not */
	memcpy(k->pcomm, ev->pcomm, strlen(ev->pcomm) + 1);
	k->ids[0] = ev->uid;
	k->ids[1] = ev->gid;
	k->ids[2] = ev->loginuid;
	for (i = 0; i < 4; i++)
		area_of(&k->path[i], ev->path[paths[i]].s);
	/* kfacts() */
	k->facts = ev->container ? TE_KF_CONTAINER : TE_KF_HOST;
	k->facts |= ev->upper_layer ? TE_KF_UPPER : TE_KF_NOT_UPPER;
	k->facts |= ev->parent_upper_layer ? TE_KF_PUPPER : TE_KF_NOT_PUPPER;
	if (!ev->file_upper_known)
		k->facts |= TE_KF_FUPPER_NOT_TRUE | TE_KF_FUPPER_NOT_FALSE;
	else
		k->facts |= ev->file_upper_layer ? TE_KF_FUPPER_NOT_FALSE : TE_KF_FUPPER_NOT_TRUE;
	k->facts |= ev->tty[0] ? TE_KF_TTY : TE_KF_NO_TTY;
	k->facts |= ev->path[EXEC_PATH_EXE].deleted ? TE_KF_FILELESS : TE_KF_NOT_FILELESS;
}

static void hit(const struct te_kidx *ix, uint64_t *h, unsigned int x,
		unsigned int s, uint64_t key)
{
	unsigned int b = te_kbucket(x, s, key), m, w;

	if (!(ix->hot.filter[b % TE_KFILTER / 64] & (1ULL << (b % 64))))
		return;
	m = ix->bucket[b];
	for (w = 0; m && w < ix->hot.nwords; w++)
		h[w] |= ix->bmaps[m][w];
}

/* The filter says which buckets (by their bits in it) hold terms. */
static void check_filter(const struct te_kidx *ix)
{
	bool any[TE_KFILTER] = { 0 };
	unsigned int b;

	for (b = 0; b < TE_KBUCKETS; b++)
		any[b % TE_KFILTER] |= ix->bucket[b] != 0;
	for (b = 0; b < TE_KFILTER; b++)
		CHECK(!!(ix->hot.filter[b / 64] & (1ULL << (b % 64))) == any[b]);
}

static unsigned int popcount(uint32_t x)
{
	return (unsigned int)__builtin_popcount(x);
}

/* kprobe(): the terms the exec's value of key x is in, into h; false
 * when it cannot rule out (the paths here are always whole). */
static void probe(const struct te_kidx *ix, const struct kev *k,
		  unsigned int x, uint64_t *h)
{
	const struct karea *a;
	const unsigned char *c;
	unsigned int l, pr = ix->hot.probes[x];

	if (x == TE_KX_COMM || x == TE_KX_PCOMM) {
		c = x == TE_KX_COMM ? k->comm : k->pcomm;
		if (pr & (1U << TE_KS_EXACT))
			hit(ix, h, x, TE_KS_EXACT, te_kname_key(word(c), word(c + 8)));
		for (l = 1; l <= 4; l++)
			if (pr & (1U << (TE_KS_PFX1 + l - 1)))
				hit(ix, h, x, TE_KS_PFX1 + l - 1,
				    word(c) & ((1ULL << (8 * l)) - 1));
		return;
	}
	if (x <= TE_KX_LOGINUID) {
		hit(ix, h, x, TE_KS_EXACT, k->ids[x - TE_KX_UID]);
		return;
	}
	a = &k->path[x - TE_KX_EXE];
	if (pr & (1U << TE_KS_EXACT))
		hit(ix, h, x, TE_KS_EXACT, a->len ? te_kfirst_key(word(a->b + 8)) : 0);
	if ((pr & (1U << TE_KS_ROOT)) && a->len >= 2)
		hit(ix, h, x, TE_KS_ROOT, te_klast_key(word(a->b + a->len - 1), a->len - 1));
}

/* kcands0() and kcands(): the candidate terms of the exec, from the hot
 * part for a set of one word, else from the words. */
static void cands(const struct te_kset *s, const struct kev *k,
		  uint64_t cand[TE_KWORDS])
{
	const struct te_kidx *ix = &s->idx;
	const struct te_khot *hot = &ix->hot;
	uint64_t h[TE_KWORDS];
	unsigned int f, x, w;

	memset(cand, 0, TE_KWORDS * sizeof(*cand));
	if (hot->nwords == 1) {
		cand[0] = hot->word0[0];
		for (f = 0; f < TE_KFACTS; f++)
			if (k->facts & hot->facts & (1U << f))
				cand[0] &= ~hot->word0[1 + popcount(hot->facts & ((1U << f) - 1))];
		for (x = 0; x < TE_KX_NR; x++) {
			if (!(hot->kinds & (1U << x)))
				continue;
			memset(h, 0, sizeof(h));
			probe(ix, k, x, h);
			cand[0] &= ~hot->word0[1 + hot->nfacts + hot->rank[x]] | h[0];
		}
		return;
	}
	for (w = 0; w < hot->nwords; w++)
		cand[w] = ix->w[w].all;
	for (f = 0; f < TE_KFACTS; f++)
		if (k->facts & hot->facts & (1U << f))
			for (w = 0; w < hot->nwords; w++)
				cand[w] &= ~ix->w[w].fact_out[f];
	for (x = 0; x < TE_KX_NR; x++) {
		if (!(hot->kinds & (1U << x)))
			continue;
		memset(h, 0, sizeof(h));
		probe(ix, k, x, h);
		for (w = 0; w < hot->nwords; w++)
			cand[w] &= ~ix->w[w].anchored[x] | h[w];
	}
}

static struct config *load(const char *yaml)
{
	struct config_errors e = { 0 };
	struct config *c = NULL;
	size_t i;
	int r = config_parse_buffer("t.yaml", yaml, strlen(yaml), &c, &e);

	for (i = 0; i < e.n; i++)
		fprintf(stderr, "%s\n", e.msgs[i]);
	if (r)
		fprintf(stderr, "for:\n%s\n", yaml);
	CHECK_INT(r, 0);
	config_errors_free(&e);
	if (c->krules)
		check_filter(&c->krules->set.idx);
	return c;
}

/* Whether rule r is evaluated: a term of it is a candidate. */
static bool evaluated(const struct te_kset *s, const uint64_t *cand,
		      unsigned int r)
{
	unsigned int t;

	for (t = s->idx.rule_term[r]; t < s->idx.rule_term[r + 1]; t++)
		if (cand[t / 64] & (1ULL << (t % 64)))
			return true;
	return false;
}

/* An exec of the given strings, on the host, no tty. */
struct ev_store {
	struct exec_event ev;
	char paths[4][256];
};

static void ev_set(struct ev_store *st, const char *comm, const char *pcomm,
		   uint32_t uid, const char *exe, const char *file,
		   const char *cwd, const char *pexe)
{
	const char *p[4] = { exe, file, cwd, pexe };
	static const int id[4] = { EXEC_PATH_EXE, EXEC_PATH_FILE,
				   EXEC_PATH_CWD, EXEC_PATH_PARENT_EXE };
	struct exec_event *ev = &st->ev;
	int i;

	memset(ev, 0, sizeof(*ev));
	snprintf(ev->comm, sizeof(ev->comm), "%s", comm);
	snprintf(ev->pcomm, sizeof(ev->pcomm), "%s", pcomm);
	ev->uid = uid;
	ev->gid = uid;
	ev->loginuid = uid;
	ev->file_upper_known = true;
	for (i = 0; i < 4; i++) {
		snprintf(st->paths[i], sizeof(st->paths[i]), "%s", p[i]);
		ev->path[id[i]].s = st->paths[i];
		ev->path[id[i]].len = strlen(p[i]);
		ev->path[id[i]].walked = true;
	}
	ev->user = ev->host_user = ev->group = ev->host_group = ev->loginuser = "x";
}

/* Rules r of c evaluated for ev, as a string of 0 and 1. */
static const char *which(const struct config *c, const struct exec_event *ev)
{
	static char out[TE_KRULES_MAX + 1];
	const struct te_kset *s = &c->krules->set;
	uint64_t cand[TE_KWORDS];
	struct kev k;
	unsigned int r;

	kev_of(&k, ev);
	cands(s, &k, cand);
	for (r = 0; r < s->nrules; r++)
		out[r] = evaluated(s, cand, r) ? '1' : '0';
	out[r] = '\0';
	return out;
}

#define KILL(n, m) "  - name: " n "\n    action: kill\n    match: " m "\n"

/* The rules of the bench's kill20: none is evaluated for its storm, each
 * for an exec it may hold for. */
static void test_bench_shapes(void)
{
	struct ev_store st;
	struct config *c = load("rules:\n"
		KILL("k1", "{container: true, upper_layer: true, image: \"bench-image-4*\"}")
		KILL("k2", "{file: \"/nonexistent-bench/k1-*\", uid: [0, 1000]}")
		KILL("k3", "{exe: /nonexistent-bench/bin/k2, not: {comm: [sh, bash]}}")
		KILL("k4", "{any: [{comm: kbench3}, {fileless: true, cwd: \"/nonexistent-bench/3/*\"}]}"));
	const struct te_kidx *ix = &c->krules->set.idx;

	/* a term each, and two for the any */
	CHECK_INT(c->krules->set.nrules, 4);
	CHECK_INT(ix->nterms, 5);
	CHECK_INT(ix->hot.nwords, 1);
	CHECK_INT(ix->rule_term[3], 3);
	CHECK_INT(ix->rule_term[4], 5);
	CHECK_INT(ix->hot.facts, TE_KF_HOST | TE_KF_NOT_UPPER | TE_KF_NOT_FILELESS);
	CHECK_INT(ix->w[0].fact_out[0], 1 << 0);		/* TE_KF_HOST */
	CHECK_INT(ix->w[0].fact_out[11], 1 << 4);		/* TE_KF_NOT_FILELESS */
	CHECK_INT(ix->w[0].anchored[TE_KX_FILE], 1 << 1);
	CHECK_INT(ix->w[0].anchored[TE_KX_UID], 1 << 1);
	CHECK_INT(ix->w[0].anchored[TE_KX_EXE], 1 << 2);
	CHECK_INT(ix->w[0].anchored[TE_KX_COMM], 1 << 3);	/* not the not: */
	CHECK_INT(ix->w[0].anchored[TE_KX_CWD], 1 << 4);
	CHECK_INT(ix->hot.probes[TE_KX_FILE], 1 << TE_KS_ROOT);
	CHECK_INT(ix->hot.probes[TE_KX_EXE], 1 << TE_KS_EXACT);
	CHECK_INT(ix->hot.kinds, (1 << TE_KX_FILE) | (1 << TE_KX_UID) | (1 << TE_KX_EXE) |
		  (1 << TE_KX_COMM) | (1 << TE_KX_CWD));
	/* the hot word: all, the three facts, the five keys in bit order */
	CHECK_INT(ix->hot.nfacts, 3);
	CHECK_INT(ix->hot.word0[0], 0x1f);
	CHECK_INT(ix->hot.word0[1], 1 << 0);		/* TE_KF_HOST */
	CHECK_INT(ix->hot.word0[2], 1 << 0);		/* TE_KF_NOT_UPPER */
	CHECK_INT(ix->hot.word0[3], 1 << 4);		/* TE_KF_NOT_FILELESS */
	CHECK_INT(ix->hot.rank[TE_KX_COMM], 0);
	CHECK_INT(ix->hot.word0[4], 1 << 3);
	CHECK_INT(ix->hot.rank[TE_KX_UID], 1);
	CHECK_INT(ix->hot.word0[5], 1 << 1);
	CHECK_INT(ix->hot.rank[TE_KX_EXE], 2);
	CHECK_INT(ix->hot.word0[6], 1 << 2);
	CHECK_INT(ix->hot.rank[TE_KX_CWD], 4);
	CHECK_INT(ix->hot.word0[8], 1 << 4);
	/* its operations: rule 1 starts after rule 0's eight */
	CHECK_INT(c->krules->set.idx.rule_op[1], 8);

	/* the storm: /bin/true as root on the host */
	ev_set(&st, "true", "exec-storm", 0, "/usr/bin/true", "/bin/true",
	       "/work/wt", "/work/build/bench/exec-storm");
	CHECK_STR(which(c, &st.ev), "0000");
	ev_set(&st, "true", "sh", 1000, "/usr/bin/true",
	       "/nonexistent-bench/k1-x", "/", "/bin/sh");
	CHECK_STR(which(c, &st.ev), "0100");
	st.ev.uid = 7;		/* the uid rules it out too */
	CHECK_STR(which(c, &st.ev), "0000");
	ev_set(&st, "k2", "sh", 1000, "/nonexistent-bench/bin/k2", "/x", "/", "/bin/sh");
	CHECK_STR(which(c, &st.ev), "0010");
	ev_set(&st, "kbench3", "sh", 1000, "/x", "/x", "/", "/bin/sh");
	CHECK_STR(which(c, &st.ev), "0001");
	ev_set(&st, "x", "sh", 1000, "/memfd:x", "/x", "/nonexistent-bench/3/y", "/bin/sh");
	CHECK_STR(which(c, &st.ev), "0000");	/* not fileless */
	st.ev.path[EXEC_PATH_EXE].deleted = true;
	CHECK_STR(which(c, &st.ev), "0001");
	st.ev.container = &ctr;
	CHECK_STR(which(c, &st.ev), "0001");	/* the image is the daemon's */
	st.ev.upper_layer = true;
	CHECK_STR(which(c, &st.ev), "1001");
	config_free(c);
}

/* What the index cannot decide stays evaluated; what is surely NO never
 * is; patterns with no whole component or no literal are not anchored. */
static void test_open_and_never(void)
{
	struct ev_store st;
	struct config *c = load("rules:\n"
		"  - name: log\n    match: {args: '*-x*'}\n"
		KILL("k5", "{failed: true, comm: x}")
		KILL("k6", "{comm: k*, exe: \"/t*\"}")
		KILL("k7", "{not: {comm: sh}}")
		KILL("k8", "{cwd: \"/*\"}")
		KILL("k9", "{comm: [sh, \"ba*\"], parent_comm: \"bench*\"}")
		KILL("k10", "{exe: /, file: \"/tmp/\"}"));

	CHECK_INT(c->krules->set.idx.rule_term[2] - c->krules->set.idx.rule_term[1], 0);
	ev_set(&st, "x", "y", 5, "/usr/bin/x", "/usr/bin/x", "/", "/bin/sh");
	CHECK_STR(which(c, &st.ev), "1001100");
	ev_set(&st, "kx", "benchmark", 5, "/tx", "/usr/bin/x", "/", "/bin/sh");
	CHECK_STR(which(c, &st.ev), "1011100");
	ev_set(&st, "bash", "benchmark", 5, "/tx", "/usr/bin/x", "/", "/bin/sh");
	CHECK_STR(which(c, &st.ev), "1001110");
	ev_set(&st, "sh", "bench", 5, "/", "/tmp", "/", "/bin/sh");
	CHECK_STR(which(c, &st.ev), "1001111");
	ev_set(&st, "sh", "benc", 5, "/", "/tmp", "/", "/bin/sh");
	CHECK_STR(which(c, &st.ev), "1001111");	/* its first 4 bytes: a superset */
	ev_set(&st, "sh", "bend", 5, "/", "/tmp", "/", "/bin/sh");
	CHECK_STR(which(c, &st.ev), "1001101");
	config_free(c);
}

/* Random rules and execs from one vocabulary: wherever userspace finds a
 * rule may hold, the index leaves it to evaluate; and it rules out most
 * of the others. */
static const char *const names[] = {
	"sh", "bash", "true", "kbench1", "kbx", "k", "trial",
	"benchmark-long-", "ab", "abcdefghij",
};
static const char *const name_pats[] = {
	"sh", "bash", "true", "kbench1", "k*", "kb*", "tr*", "bench*",
	"abcdefghij", "abc*", "\"*\"",
};
static const char *const paths[] = {
	"/usr/bin/true", "/tmp/x-1", "/tmp/y", "/tmp", "/", "/ab",
	"/nonexistent-bench/k1-a", "/nonexistent-bench/bin/k2", "/a/b/c/d",
	"/tmpx/a", "/t", "/verylongcomponentname/x", "/usr/lib/verylongleafname",
};
static const char *const path_pats[] = {
	"/usr/bin/true", "/tmp/x-*", "/tmp/*", "/t*", "/*", "/", "/tmp",
	"/nonexistent-bench/k1-*", "/nonexistent-bench/bin/k2", "/a/b/*",
	"/verylongcomponentname/*", "/usr/lib/verylongleafname", "/tmp/",
	"/verylongcomponentnamf/*", "/usr/lib/verylongleafnamf",
};
static const char *const keys[] = {
	"comm", "parent_comm", "uid", "gid", "loginuid", "exe", "file", "cwd",
	"parent_exe", "container", "upper_layer", "parent_upper_layer",
	"file_upper_layer", "tty", "fileless", "failed", "not", "any",
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static unsigned long long seed = 42;

static unsigned int rnd(unsigned int n)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned int)(seed >> 33) % n;
}

static void gen_match(struct strbuf *b, int depth);

/* One condition of key k. */
static void gen_cond(struct strbuf *b, const char *k, int depth)
{
	int i, n = 1 + rnd(2);

	sb_printf(b, "%s: ", k);
	if (!strcmp(k, "comm") || !strcmp(k, "parent_comm") ||
	    !strcmp(k, "exe") || !strcmp(k, "file") || !strcmp(k, "cwd") ||
	    !strcmp(k, "parent_exe")) {
		bool name = !strcmp(k, "comm") || !strcmp(k, "parent_comm");

		sb_puts(b, "[");
		for (i = 0; i < n; i++)
			sb_printf(b, "%s%s%s%s", i ? ", " : "", name ? "" : "\"",
				  name ? name_pats[rnd(sizeof(name_pats) / sizeof(*name_pats))] :
					 path_pats[rnd(sizeof(path_pats) / sizeof(*path_pats))],
				  name ? "" : "\"");
		sb_puts(b, "]");
	} else if (!strcmp(k, "uid") || !strcmp(k, "gid") || !strcmp(k, "loginuid")) {
		sb_puts(b, "[");
		for (i = 0; i < n; i++)
			sb_printf(b, "%s%u", i ? ", " : "", rnd(3) * 1000);
		sb_puts(b, "]");
	} else if (!strcmp(k, "not")) {
		gen_match(b, depth + 1);
	} else if (!strcmp(k, "any")) {
		n = 1 + rnd(3);
		sb_puts(b, "[");
		for (i = 0; i < n; i++) {
			sb_puts(b, i ? ", " : "");
			gen_match(b, depth + 1);
		}
		sb_puts(b, "]");
	} else {
		sb_puts(b, rnd(2) ? "true" : "false");
	}
}

/* A match of 1 to 3 distinct keys (no not: or any: below depth 2). */
static void gen_match(struct strbuf *b, int depth)
{
	bool used[NKEYS] = { 0 };
	unsigned int n = 1 + rnd(3), i, k;

	sb_puts(b, "{");
	for (i = 0; i < n; i++) {
		do
			k = rnd(NKEYS);
		while (used[k] || (depth >= 2 && k >= NKEYS - 2));
		used[k] = true;
		sb_puts(b, i ? ", " : "");
		gen_cond(b, keys[k], depth);
	}
	sb_puts(b, "}");
}

static void test_random(void)
{
	unsigned int round, r, e, i, n[2], pi[4], evals = 0, pruned = 0, held = 0;
	unsigned int wide = 0, nr;
	struct strbuf y = STRBUF_INIT;
	struct ev_store st;
	struct config *c;
	const char *w;

	for (round = 0; round < 40; round++) {
		sb_reset(&y);
		nr = round % 2 ? 30 : 80;	/* one word of terms, or more */
		sb_puts(&y, "rules:\n");
		for (r = 0; r < nr; r++) {
			sb_printf(&y, "  - name: r%u\n    action: kill\n    match: ", r);
			gen_match(&y, 0);
			sb_puts(&y, "\n");
		}
		c = load(y.p);
		wide += c->krules->set.idx.hot.nwords > 1;
		for (e = 0; e < 300; e++) {
			/* one draw a statement: the same execs with any compiler */
			n[0] = rnd(10);
			n[1] = rnd(10);
			for (i = 0; i < 4; i++)
				pi[i] = rnd(13);
			ev_set(&st, names[n[0]], names[n[1]], rnd(3) * 1000,
			       paths[pi[0]], paths[pi[1]], paths[pi[2]], paths[pi[3]]);
			st.ev.gid = rnd(3) * 1000;
			st.ev.loginuid = rnd(3) * 1000;
			st.ev.container = rnd(2) ? &ctr : NULL;
			st.ev.upper_layer = rnd(2);
			st.ev.parent_upper_layer = rnd(2);
			st.ev.file_upper_layer = rnd(2);
			st.ev.file_upper_known = rnd(4);
			st.ev.path[EXEC_PATH_EXE].deleted = rnd(2);
			if (rnd(2))
				strcpy(st.ev.tty, "pts/1");
			w = which(c, &st.ev);
			for (r = 0; r < nr; r++) {
				bool may = match_eval(policy_rule(c->policy, r)->match, &st.ev) != MATCH_NO;

				evals++;
				held += may;
				pruned += w[r] == '0';
				if (may && w[r] != '1')
					fprintf(stderr, "rule %u ruled out for comm %s pcomm %s uid %u exe %s file %s cwd %s pexe %s:\n%s\n",
						r, st.ev.comm, st.ev.pcomm, st.ev.uid, st.paths[0],
						st.paths[1], st.paths[2], st.paths[3], y.p);
				CHECK(!may || w[r] == '1');
			}
		}
		config_free(c);
	}
	sb_free(&y);
	printf("random: %u rule evaluations, %u may hold, %u ruled out by the index; %u of 40 sets of more than 64 terms\n",
	       evals, held, pruned, wide);
	CHECK(pruned > (evals - held) / 2);
	CHECK(wide > 0 && wide < 40);	/* both ways of the kernel tried */
}

/* 512 rules fit, 513 do not; an any: over all rules' terms gives way to
 * one term a rule; anchors past the buckets' bitmaps are left out. */
static void test_limits(void)
{
	struct strbuf y = STRBUF_INIT;
	struct config_errors e = { 0 };
	struct ev_store st;
	struct config *c;
	const struct te_kidx *ix;
	const char *w;
	char name[16];
	int i, j;

	sb_puts(&y, "rules:\n");
	for (i = 0; i < 300; i++)
		sb_printf(&y, "  - name: k%d\n    action: kill\n    match: {any: [{comm: a%d}, {uid: %d}]}\n",
			  i, i, i);
	c = load(y.p);
	ix = &c->krules->set.idx;
	CHECK_INT(ix->nterms, 300);		/* not 600 */
	CHECK_INT(ix->hot.kinds, 0);
	config_free(c);

	sb_reset(&y);
	sb_puts(&y, "rules:\n");
	for (i = 0; i < 512; i++)
		sb_printf(&y, "  - name: k%d\n    action: kill\n    match: {uid: %d}\n", i, i);
	c = load(y.p);
	CHECK_INT(c->krules->set.nrules, 512);
	ev_set(&st, "x", "y", 511, "/x", "/x", "/", "/x");
	w = which(c, &st.ev);
	CHECK_INT(w[511], '1');
	for (i = 0, j = 0; i < 512; i++)	/* and those sharing its bucket */
		j += w[i] == '1';
	CHECK(j < 8);
	config_free(c);
	sb_printf(&y, "  - name: k512\n    action: kill\n    match: {uid: 512}\n");
	CHECK_INT(config_parse_buffer("t.yaml", y.p, y.len, &c, &e), -EINVAL);
	CHECK_INT(e.n, 1);
	CHECK_STR(e.msgs[0], "'t.yaml': the rules up to the last kill rule and the protected paths do not fit in the kernel's rule set (at most 512 rules, 4096 operations, 1024 path or name patterns of 65536 bytes in all, 64 container conditions)");
	config_errors_free(&e);

	/* 30 rules of 30 names: more buckets than their bitmaps */
	sb_reset(&y);
	sb_puts(&y, "rules:\n");
	for (i = 0; i < 30; i++) {
		sb_printf(&y, "  - name: k%d\n    action: kill\n    match: {comm: [", i);
		for (j = 0; j < 30; j++)
			sb_printf(&y, "%sn%d-%d", j ? ", " : "", i, j);
		sb_puts(&y, "]}\n");
	}
	c = load(y.p);
	ix = &c->krules->set.idx;
	CHECK_INT(ix->nterms, 30);
	CHECK(ix->w[0].anchored[TE_KX_COMM] != (1ULL << 30) - 1);	/* some left out */
	CHECK(ix->w[0].anchored[TE_KX_COMM] != 0);
	for (i = 0; i < 30; i++)
		for (j = 0; j < 30; j++) {
			snprintf(name, sizeof(name), "n%d-%d", i, j);
			ev_set(&st, name, "y", 0, "/x", "/x", "/", "/x");
			CHECK_INT(which(c, &st.ev)[i], '1');
		}
	config_free(c);
	sb_free(&y);
}

int main(void)
{
	test_bench_shapes();
	test_open_and_never();
	test_random();
	test_limits();
	CHECK_DONE();
}
