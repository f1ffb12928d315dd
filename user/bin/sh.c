/*
 * sh - Walnut's small POSIX-ish shell.
 *
 *   sh                      read commands from stdin ("$ " prompt on a tty)
 *   sh file [args...]       run a script; $0 is file, $1... are args
 *   sh -c 'cmds' [name [args...]]
 *
 * Input goes through three stages, one line (plus continuation lines) at a
 * time:
 *   lexer     text -> tokens.  Words keep their quotes: expansion waits until
 *             the command runs, so "a=1; echo $a" sees the new value.
 *   parser    tokens -> a list of and-or lists of pipelines of commands.
 *   executor  expands words, forks one process group per pipeline, wires
 *             pipes and redirections, and waits (or not, for "&").
 * Everything built for one line lives in an arena freed once the line has
 * run, so a long script does not grow the shell.
 *
 * Supported: 'single' "double" and \ quoting; $VAR ${VAR} $? $$ $! $# $0-$9
 * ${10} $@ "$@" $*; ~ and ~/ at the start of a word; NAME=value (alone, or
 * before a command for its environment); pipelines, ! a, a && b, a || b,
 * ;  &  and newline; # comments; redirections [n]< [n]> [n]>| [n]>> [n]>&m
 * [n]<&m and >&- (n is one digit); builtins : cd exit export unset pwd exec
 * read test [ wait jobs fg bg.  On a terminal, job control: each pipeline is
 * a process group given the terminal, so ^C and ^Z reach the job and not the
 * shell.
 *
 * Limits: no if/while/for/case, no functions, no subshells ( ), no command
 * substitution, no globbing, no here-documents, no ${x:-y} forms; IFS is
 * fixed to space, tab and newline; assignments before a builtin stay set.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linuxsig.h"

extern char **environ;

#define DEFAULT_PATH "/bin:/sbin:/usr/bin"
#define MAX_DONE_JOBS 100	/* finished jobs remembered for "wait" */

/* ------------------------------------------------------------------ */
/* Errors and memory                                                   */
/* ------------------------------------------------------------------ */

static void sh_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);		/* keep output in the order it was made */
	fputs("sh: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Running out of memory in a shell leaves nothing sensible to do. */
static void *xrealloc(void *old, size_t n)
{
	void *p = realloc(old, n ? n : 1);

	if (!p) {
		sh_error("out of memory");
		exit(2);
	}
	return p;
}

static void *xmalloc(size_t n)
{
	return xrealloc(NULL, n);
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

/* A growable NUL-terminated string on the heap. */
struct strbuf {
	char *s;
	size_t len, cap;
};

static void sb_putn(struct strbuf *b, const char *s, size_t n)
{
	if (n >= (size_t)-1 / 4 - b->len) {
		sh_error("string too long");
		exit(2);
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->s = xrealloc(b->s, cap);
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void sb_putc(struct strbuf *b, char c)
{
	sb_putn(b, &c, 1);
}

static void sb_puts(struct strbuf *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

static void sb_clear(struct strbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

/*
 * The arena: everything the lexer, parser and expander make for one line.
 * arena_reset() frees it all once the line has run.
 */
struct ablock {
	struct ablock *next;
	size_t used, size;
};

#define ABLOCK_SIZE 8192
#define AHDR ((sizeof(struct ablock) + 15) & ~(size_t)15)

static struct ablock *arena;

static void *aalloc(size_t n)
{
	struct ablock *b = arena;
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (!b || b->size - b->used < n) {
		size_t size = n > ABLOCK_SIZE ? n : ABLOCK_SIZE;

		b = xmalloc(AHDR + size);
		b->next = arena;
		b->used = 0;
		b->size = size;
		arena = b;
	}
	p = (char *)b + AHDR + b->used;
	b->used += n;
	return memset(p, 0, n);
}

static void arena_reset(void)
{
	while (arena) {
		struct ablock *next = arena->next;

		free(arena);
		arena = next;
	}
}

static char *astrndup(const char *s, size_t n)
{
	char *p = aalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* A NULL-terminated growable array of pointers, in the arena. */
struct vec {
	void **v;
	int n, cap;
};

static void vec_push(struct vec *v, void *x)
{
	if (v->n + 1 >= v->cap) {
		int cap = v->cap ? v->cap * 2 : 8;
		void **nv = aalloc(cap * sizeof(*nv));

		if (v->n)
			memcpy(nv, v->v, v->n * sizeof(*nv));
		v->v = nv;
		v->cap = cap;
	}
	v->v[v->n++] = x;
	v->v[v->n] = NULL;
}

/* ------------------------------------------------------------------ */
/* Shell state                                                         */
/* ------------------------------------------------------------------ */

static int interactive;		/* reading commands from a terminal */
static int jobctl;		/* ... and own it: one process group per job */
static int tty_fd = -1;		/* the terminal, kept above fd 9, close-on-exec */
static pid_t shell_pgid;
static pid_t shell_pid;		/* $$, the same in forked children */
static pid_t last_bg_pid;	/* $! */
static int last_status;		/* $? */
static const char *arg0 = "sh";	/* $0 */
static char **params;		/* $1 ... */
static int nparams;

/* ------------------------------------------------------------------ */
/* Variables                                                           */
/* ------------------------------------------------------------------ */

struct var {
	struct var *next;
	char *name;
	char *value;		/* NULL: "export X" of a variable not yet set */
	int exported;
};

static struct var *vars;

static int is_name_start(int c)
{
	return isalpha(c) || c == '_';
}

static size_t name_len(const char *s)
{
	size_t n = 0;

	if (!is_name_start((unsigned char)s[0]))
		return 0;
	while (isalnum((unsigned char)s[n]) || s[n] == '_')
		n++;
	return n;
}

static struct var *var_find(const char *name, size_t len)
{
	struct var *v;

	for (v = vars; v; v = v->next)
		if (strncmp(v->name, name, len) == 0 && v->name[len] == '\0')
			return v;
	return NULL;
}

static const char *var_get(const char *name)
{
	struct var *v = var_find(name, strlen(name));

	return v ? v->value : NULL;
}

/* Set a variable; export != 0 also marks it exported (never unmarks). */
static void var_set(const char *name, size_t len, const char *value,
		    int export)
{
	struct var *v = var_find(name, len);
	char *copy = value ? xstrdup(value) : NULL;

	if (!v) {
		v = xmalloc(sizeof(*v));
		v->name = xmalloc(len + 1);
		memcpy(v->name, name, len);
		v->name[len] = '\0';
		v->value = NULL;
		v->exported = 0;
		v->next = vars;
		vars = v;
	}
	if (copy || !v->value) {
		free(v->value);
		v->value = copy;
	}
	if (export)
		v->exported = 1;
}

static void var_unset(const char *name)
{
	struct var **pp, *v;

	for (pp = &vars; (v = *pp); pp = &v->next) {
		if (strcmp(v->name, name) == 0) {
			*pp = v->next;
			free(v->name);
			free(v->value);
			free(v);
			return;
		}
	}
}

static void vars_import(char **env)
{
	for (; env && *env; env++) {
		char *eq = strchr(*env, '=');

		if (eq && name_len(*env) == (size_t)(eq - *env))
			var_set(*env, eq - *env, eq + 1, 1);
	}
}

/* The environment for a child.  Only called in the child, just before exec. */
static char **build_env(void)
{
	struct var *v;
	char **envp;
	int n = 0;

	for (v = vars; v; v = v->next)
		n++;
	envp = xmalloc((n + 1) * sizeof(*envp));
	n = 0;
	for (v = vars; v; v = v->next) {
		struct strbuf b = { 0 };

		if (!v->exported || !v->value)
			continue;
		sb_puts(&b, v->name);
		sb_putc(&b, '=');
		sb_puts(&b, v->value);
		envp[n++] = b.s;
	}
	envp[n] = NULL;
	return envp;
}

/* ------------------------------------------------------------------ */
/* Lexer                                                               */
/* ------------------------------------------------------------------ */

enum tok_type {
	T_WORD,
	T_REDIR,		/* op and fd say which */
	T_PIPE,			/* | */
	T_AND_IF,		/* && */
	T_OR_IF,		/* || */
	T_SEMI,			/* ; */
	T_AMP,			/* & */
	T_NEWLINE,
	T_EOF,
};

enum redir_op {
	R_IN,			/* <  */
	R_OUT,			/* >  and >| */
	R_APPEND,		/* >> */
	R_DUP_IN,		/* <& */
	R_DUP_OUT,		/* >& */
};

struct token {
	enum tok_type type;
	char *text;		/* T_WORD: the raw word, quotes and all */
	enum redir_op op;
	int fd;
};

/* What the lexer and parser say about the text they were given. */
enum parse_result {
	P_OK,
	P_INCOMPLETE,		/* needs another line: open quote, trailing | ... */
	P_ERROR,		/* syntax error, already reported */
};

#define METACHARS " \t\n;&|<>()"

static int unsupported(const char *what)
{
	sh_error("%s are not supported", what);
	return P_ERROR;
}

/* p is just after "${": its matching '}', past quotes and nested ${}. */
static const char *brace_end(const char *p)
{
	int depth = 1;

	for (; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '\'') {
			if (!(p = strchr(p + 1, '\'')))
				return NULL;
		} else if (*p == '$' && p[1] == '{') {
			depth++;
			p++;
		} else if (*p == '}' && --depth == 0) {
			return p;
		}
	}
	return NULL;
}

/* p is at the opening '"'; leave it after the closing one. */
static int skip_dquote(const char **pp)
{
	const char *p = *pp + 1;

	while (*p && *p != '"') {
		if (*p == '\\' && p[1])
			p += 2;
		else if (*p == '`' || (*p == '$' && p[1] == '('))
			return unsupported("command substitutions");
		else
			p++;
	}
	if (!*p)
		return P_INCOMPLETE;
	*pp = p + 1;
	return P_OK;
}

static int lex_word(const char **pp, struct token *t)
{
	const char *p = *pp, *start = p, *q;
	int r;

	while (*p && !strchr(METACHARS, *p)) {
		switch (*p) {
		case '\\':
			if (!p[1] || (p[1] == '\n' && !p[2]))
				return P_INCOMPLETE;
			p += 2;
			break;
		case '\'':
			q = strchr(p + 1, '\'');
			if (!q)
				return P_INCOMPLETE;
			p = q + 1;
			break;
		case '"':
			if ((r = skip_dquote(&p)) != P_OK)
				return r;
			break;
		case '`':
			return unsupported("command substitutions");
		case '$':
			if (p[1] == '(')
				return unsupported("command substitutions");
			if (p[1] != '{') {
				p++;
				break;
			}
			/* ${x:-a b} is one word, blanks and all. */
			if (!(q = brace_end(p + 2)))
				return P_INCOMPLETE;
			p = q + 1;
			break;
		default:
			p++;
		}
	}
	t->type = T_WORD;
	t->text = astrndup(start, p - start);
	*pp = p;
	return P_OK;
}

/* Redirection operators; *pp is at '<' or '>', fd is -1 or the n of "n>". */
static int lex_redir(const char **pp, struct token *t, int fd)
{
	const char *p = *pp;

	t->type = T_REDIR;
	if (*p == '<') {
		t->fd = fd < 0 ? 0 : fd;
		if (p[1] == '<')
			return unsupported("here-documents");
		if (p[1] == '>')
			return unsupported("<> redirections");
		t->op = p[1] == '&' ? R_DUP_IN : R_IN;
		p += p[1] == '&' ? 2 : 1;
	} else {
		t->fd = fd < 0 ? 1 : fd;
		if (p[1] == '>')
			t->op = R_APPEND;
		else if (p[1] == '&')
			t->op = R_DUP_OUT;
		else
			t->op = R_OUT;
		p += (p[1] == '>' || p[1] == '&' || p[1] == '|') ? 2 : 1;
	}
	*pp = p;
	return P_OK;
}

/* An operator into t; *matched = 0 if the text there is not one. */
static int lex_operator(const char **pp, struct token *t, int *matched)
{
	const char *p = *pp;
	int two = 0;

	*matched = 1;
	if (isdigit((unsigned char)p[0]) && (p[1] == '<' || p[1] == '>')) {
		*pp = p + 1;
		return lex_redir(pp, t, p[0] - '0');
	}
	switch (*p) {
	case '<':
	case '>':
		return lex_redir(pp, t, -1);
	case '(':
	case ')':
		return unsupported("subshells");
	case '\n':
		t->type = T_NEWLINE;
		break;
	case ';':
		if (p[1] == ';')
			return unsupported("case statements");
		t->type = T_SEMI;
		break;
	case '&':
		two = p[1] == '&';
		t->type = two ? T_AND_IF : T_AMP;
		break;
	case '|':
		two = p[1] == '|';
		t->type = two ? T_OR_IF : T_PIPE;
		break;
	default:
		*matched = 0;
		return P_OK;
	}
	*pp = p + 1 + two;
	return P_OK;
}

/* Split text into tokens, ending with T_EOF. */
static int lex(const char *text, struct vec *toks)
{
	const char *p = text;

	for (;;) {
		struct token *t;
		int r, matched;

		while (*p == ' ' || *p == '\t' || (p[0] == '\\' && p[1] == '\n')) {
			if (p[0] == '\\' && !p[2])
				return P_INCOMPLETE;
			p += *p == '\\' ? 2 : 1;
		}
		if (*p == '#') {
			while (*p && *p != '\n')
				p++;
			continue;
		}
		t = aalloc(sizeof(*t));
		vec_push(toks, t);
		if (!*p) {
			t->type = T_EOF;
			return P_OK;
		}
		r = lex_operator(&p, t, &matched);
		if (r == P_OK && !matched)
			r = lex_word(&p, t);
		if (r != P_OK)
			return r;
	}
}

/* ------------------------------------------------------------------ */
/* Parser                                                              */
/* ------------------------------------------------------------------ */

struct redir {
	enum redir_op op;
	int fd;
	char *target;		/* raw word */
};

struct command {
	struct vec assigns;	/* raw "NAME=value" words */
	struct vec words;	/* raw words */
	struct vec redirs;	/* struct redir * */
};

struct pipeline {
	struct vec cmds;	/* struct command * */
	int negate;		/* ! */
	enum tok_type op;	/* T_AND_IF / T_OR_IF before it, or T_EOF */
};

struct andor {
	struct vec pipes;	/* struct pipeline * */
	int background;
};

struct parser {
	struct token **t;
	int pos;
};

static struct token *peek(struct parser *ps)
{
	return ps->t[ps->pos];
}

static int syntax_error(struct token *t)
{
	static const char *names[] = {
		[T_PIPE] = "|", [T_AND_IF] = "&&", [T_OR_IF] = "||",
		[T_SEMI] = ";", [T_AMP] = "&", [T_NEWLINE] = "newline",
		[T_EOF] = "end of file", [T_REDIR] = "redirection",
	};

	sh_error("syntax error near unexpected '%s'",
		 t->type == T_WORD ? t->text : names[t->type]);
	return P_ERROR;
}

/* After | && ||: skip newlines; the end of the text means "read more". */
static int need_more(struct parser *ps)
{
	while (peek(ps)->type == T_NEWLINE)
		ps->pos++;
	return peek(ps)->type == T_EOF ? P_INCOMPLETE : P_OK;
}

static int is_assignment(const char *w)
{
	size_t n = name_len(w);

	return n > 0 && w[n] == '=';
}

static int parse_command(struct parser *ps, struct command **out)
{
	struct command *c = aalloc(sizeof(*c));
	struct token *t;

	for (;;) {
		t = peek(ps);
		if (t->type == T_REDIR) {
			struct redir *r = aalloc(sizeof(*r));
			struct token *w = ps->t[ps->pos + 1];

			if (w->type != T_WORD)
				return syntax_error(w);
			r->op = t->op;
			r->fd = t->fd;
			r->target = w->text;
			vec_push(&c->redirs, r);
			ps->pos += 2;
		} else if (t->type == T_WORD) {
			if (c->words.n == 0 && is_assignment(t->text))
				vec_push(&c->assigns, t->text);
			else
				vec_push(&c->words, t->text);
			ps->pos++;
		} else {
			break;
		}
	}
	if (!c->words.n && !c->assigns.n && !c->redirs.n)
		return syntax_error(t);
	*out = c;
	return P_OK;
}

static int parse_pipeline(struct parser *ps, enum tok_type op,
			  struct pipeline **out)
{
	struct pipeline *pl = aalloc(sizeof(*pl));
	struct command *c;
	int r;

	pl->op = op;
	if (peek(ps)->type == T_WORD && strcmp(peek(ps)->text, "!") == 0) {
		pl->negate = 1;
		ps->pos++;
	}
	for (;;) {
		if ((r = parse_command(ps, &c)) != P_OK)
			return r;
		vec_push(&pl->cmds, c);
		if (peek(ps)->type != T_PIPE)
			break;
		ps->pos++;
		if ((r = need_more(ps)) != P_OK)
			return r;
	}
	*out = pl;
	return P_OK;
}

static int parse_andor(struct parser *ps, struct andor **out)
{
	struct andor *a = aalloc(sizeof(*a));
	enum tok_type op = T_EOF;
	struct pipeline *pl;
	int r;

	for (;;) {
		if ((r = parse_pipeline(ps, op, &pl)) != P_OK)
			return r;
		vec_push(&a->pipes, pl);
		op = peek(ps)->type;
		if (op != T_AND_IF && op != T_OR_IF)
			break;
		ps->pos++;
		if ((r = need_more(ps)) != P_OK)
			return r;
	}
	*out = a;
	return P_OK;
}

/* list: and-or lists separated by ; & or newlines. */
static int parse(struct vec *toks, struct vec *list)
{
	struct parser ps = { (struct token **)toks->v, 0 };
	struct andor *a;
	int r;

	for (;;) {
		while (peek(&ps)->type == T_NEWLINE)
			ps.pos++;
		if (peek(&ps)->type == T_EOF)
			return P_OK;
		if ((r = parse_andor(&ps, &a)) != P_OK)
			return r;
		vec_push(list, a);
		switch (peek(&ps)->type) {
		case T_AMP:
			a->background = 1;
			/* fall through */
		case T_SEMI:
		case T_NEWLINE:
			ps.pos++;
			break;
		case T_EOF:
			break;
		default:
			return syntax_error(peek(&ps));
		}
	}
}

/* ------------------------------------------------------------------ */
/* Expansion: parameters, ~, quote removal and field splitting         */
/* ------------------------------------------------------------------ */

struct expand {
	struct vec *out;	/* the fields made so far */
	struct strbuf cur;	/* the field being built */
	int have;		/* cur is a field even if empty ("" or '') */
	int split;		/* split unquoted expansions on blanks */
	int error;
};

/* How ex_text treats the text it is given. */
enum text_ctx {
	CTX_WORD,		/* a word: its own characters are never split */
	CTX_DQUOTE,		/* inside "...": nothing is split */
	CTX_BRACE,		/* the word of an unquoted ${x:-word}: split */
};

static void field_end(struct expand *e)
{
	if (e->have)
		vec_push(e->out, astrndup(e->cur.s ? e->cur.s : "", e->cur.len));
	sb_clear(&e->cur);
	e->have = 0;
}

/* Add text; unquoted text from an expansion is split into fields. */
static void ex_add(struct expand *e, const char *s, size_t n, int quoted)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!quoted && e->split && strchr(" \t\n", s[i])) {
			field_end(e);
			continue;
		}
		sb_putc(&e->cur, s[i]);
		e->have = 1;
	}
}

static void ex_adds(struct expand *e, const char *s, int quoted)
{
	if (s)
		ex_add(e, s, strlen(s), quoted);
}

/* $@ and $*: inside quotes, "$@" makes one field per parameter. */
static void ex_params(struct expand *e, int quoted, int at)
{
	int i;

	for (i = 0; i < nparams; i++) {
		if (i > 0 && quoted && at) {
			e->have = 1;
			field_end(e);
		} else if (i > 0) {
			ex_add(e, " ", 1, quoted);
		}
		ex_adds(e, params[i], quoted);
		if (quoted)
			e->have = 1;
	}
}

/* Length of the parameter name at s: a name, digits, or one of ?$!#@*. */
static size_t param_len(const char *s)
{
	size_t n = name_len(s);

	if (n == 0 && isdigit((unsigned char)*s))
		while (isdigit((unsigned char)s[n]))
			n++;
	if (n == 0 && *s && strchr("?$!#@*", *s))
		n = 1;
	return n;
}

/* A parameter's value (not $@ or $*); NULL if unset.  num: scratch. */
static const char *param_value(const char *name, size_t len, char num[32])
{
	struct var *v;
	long n = 0;
	size_t i;

	switch (len == 1 ? name[0] : 0) {
	case '?': snprintf(num, 32, "%d", last_status); return num;
	case '$': snprintf(num, 32, "%d", (int)shell_pid); return num;
	case '#': snprintf(num, 32, "%d", nparams); return num;
	case '!':
		if (!last_bg_pid)
			return NULL;
		snprintf(num, 32, "%d", (int)last_bg_pid);
		return num;
	}
	if (isdigit((unsigned char)name[0])) {
		for (i = 0; i < len && n <= nparams; i++)
			n = n * 10 + (name[i] - '0');
		return n == 0 ? arg0 : n <= nparams ? params[n - 1] : NULL;
	}
	v = var_find(name, len);
	return v ? v->value : NULL;
}

static int is_params(const char *name, size_t len)
{
	return len == 1 && (name[0] == '@' || name[0] == '*');
}

static void ex_value(struct expand *e, const char *name, size_t len,
		     int quoted)
{
	char num[32];

	if (is_params(name, len))
		ex_params(e, quoted, name[0] == '@');
	else
		ex_adds(e, param_value(name, len, num), quoted);
}

static int param_set(const char *name, size_t len, int colon)
{
	char num[32];
	const char *v;

	if (is_params(name, len))
		return nparams > 0;
	v = param_value(name, len, num);
	return v && (!colon || *v);
}

static const char *ex_text(struct expand *e, const char *p, enum text_ctx ctx);
static char *expand_one(const char *word);

/* ${name=word}: assign word if unset; only variables can be assigned. */
static int ex_assign_default(const char *name, size_t len, const char *word)
{
	char *value;

	if (name_len(name) != len)
		return -1;
	if (!(value = expand_one(word)))
		return -1;
	var_set(name, len, value, 0);
	return 0;
}

/* ${name?word}: fail with a message. */
static void ex_unset_error(struct expand *e, const char *name, size_t len,
			   const char *word)
{
	char *msg = *word ? expand_one(word) : NULL;

	sh_error("%.*s: %s", (int)len, name, msg ? msg : "parameter not set");
	if (!interactive)
		exit(2);	/* POSIX: a script stops here */
	e->error = 1;
}

/* The inside of ${...}, from p up to end.  -1: bad substitution. */
static int ex_braced(struct expand *e, const char *p, const char *end,
		     int quoted)
{
	size_t n;
	const char *op;
	char *word, num[32];
	int colon, set;

	if (*p == '#' && p + 1 < end) {		/* ${#name}: its length */
		const char *v;

		if ((n = param_len(p + 1)) != (size_t)(end - p - 1) ||
		    is_params(p + 1, n))
			return -1;
		v = param_value(p + 1, n, num);
		snprintf(num, sizeof(num), "%d", v ? (int)strlen(v) : 0);
		ex_adds(e, num, quoted);
		return 0;
	}
	if ((n = param_len(p)) == 0)
		return -1;
	if ((op = p + n) == end) {
		ex_value(e, p, n, quoted);
		return 0;
	}
	colon = *op == ':';
	op += colon;
	if (op >= end || !strchr("-=+?", *op))
		return -1;
	word = astrndup(op + 1, end - op - 1);
	set = param_set(p, n, colon);
	if (*op == '+' ? set : !set) {
		if (*op == '=' && ex_assign_default(p, n, word) < 0)
			return -1;
		if (*op == '?')
			ex_unset_error(e, p, n, word);
		if (*op == '-' || *op == '+')
			ex_text(e, word, quoted ? CTX_DQUOTE : CTX_BRACE);
	}
	if (*op != '+' && (set || *op == '='))
		ex_value(e, p, n, quoted);
	return 0;
}

/* p is at '$'; returns where the expansion ends. */
static const char *ex_dollar(struct expand *e, const char *p, int quoted)
{
	const char *q = p + 1, *end;
	size_t n;

	if (*q == '{') {
		end = brace_end(q + 1);
		if (!end || ex_braced(e, q + 1, end, quoted) < 0) {
			sh_error("%.*s: bad substitution",
				 end ? (int)(end - p + 1) : (int)strlen(p), p);
			e->error = 1;
			return end ? end + 1 : p + strlen(p);
		}
		return end + 1;
	}
	/* $10 is $1 then "0": only ${10} takes two digits. */
	n = isdigit((unsigned char)*q) ? 1 : param_len(q);
	if (n == 0) {
		ex_add(e, "$", 1, 1);		/* a lone $ is itself */
		return q;
	}
	ex_value(e, q, n, quoted);
	return q + n;
}

/* p is after the opening '"'; returns after the closing one. */
static const char *ex_dquote(struct expand *e, const char *p)
{
	/* "$@" with no parameters is no field at all, not an empty one. */
	if (strncmp(p, "$@\"", 3) == 0 && nparams == 0)
		return p + 3;
	e->have = 1;
	p = ex_text(e, p, CTX_DQUOTE);
	return *p ? p + 1 : p;
}

/* Expand text up to its end (or the closing '"' for CTX_DQUOTE). */
static const char *ex_text(struct expand *e, const char *p, enum text_ctx ctx)
{
	int dq = ctx == CTX_DQUOTE, lit = ctx != CTX_BRACE;

	while (*p && !(dq && *p == '"')) {
		if (*p == '\\' && dq && !(p[1] && strchr("$`\"\\\n", p[1]))) {
			ex_add(e, p++, 1, 1);	/* "\x" keeps its backslash */
		} else if (*p == '\\') {
			if (p[1] && p[1] != '\n')
				ex_add(e, p + 1, 1, 1);
			p += p[1] ? 2 : 1;
		} else if (*p == '\'' && !dq) {
			const char *q = strchr(p + 1, '\'');

			if (!q)
				q = p + strlen(p);
			e->have = 1;
			ex_add(e, p + 1, q - p - 1, 1);
			p = *q ? q + 1 : q;
		} else if (*p == '"' && !dq) {
			p = ex_dquote(e, p + 1);
		} else if (*p == '$') {
			p = ex_dollar(e, p, dq);
		} else {
			ex_add(e, p++, 1, dq || lit);
		}
	}
	return p;
}

static void expand_word(struct expand *e, const char *p)
{
	const char *home = var_get("HOME");

	if (p[0] == '~' && (p[1] == '/' || !p[1]) && home) {
		ex_adds(e, home, 1);
		p++;
	}
	ex_text(e, p, CTX_WORD);
	field_end(e);
}

/* All words of a command into argv (a vec of fields).  -1 on error. */
static int expand_words(struct vec *words, struct vec *argv)
{
	struct expand e = { argv, { 0 }, 0, 1, 0 };
	int i;

	memset(argv, 0, sizeof(*argv));
	vec_push(argv, NULL);		/* argv->v is never NULL */
	argv->n = 0;
	for (i = 0; i < words->n && !e.error; i++)
		expand_word(&e, words->v[i]);
	free(e.cur.s);
	return e.error ? -1 : 0;
}

/* One word to exactly one string, unsplit (assignments, redirections). */
static char *expand_one(const char *word)
{
	struct vec out = { 0 };
	struct expand e = { &out, { 0 }, 1, 0, 0 };

	expand_word(&e, word);
	free(e.cur.s);
	return e.error ? NULL : out.v[0];
}

/* ------------------------------------------------------------------ */
/* Jobs                                                                */
/* ------------------------------------------------------------------ */

enum proc_state { PS_RUNNING, PS_STOPPED, PS_DONE };

struct proc {
	pid_t pid;
	int status;		/* wait status once PS_DONE */
	enum proc_state state;
};

struct job {
	struct job *next;
	pid_t pgid;		/* 0 without job control */
	int nprocs;
	struct proc *procs;
	int background;		/* not being waited for by the shell */
};

static struct job *jobs;	/* newest first */

static struct job *job_new(int n, int background)
{
	struct job *j = xmalloc(sizeof(*j));

	j->pgid = 0;
	j->nprocs = 0;
	j->procs = xmalloc(n * sizeof(*j->procs));
	j->background = background;
	j->next = jobs;
	jobs = j;
	return j;
}

static void job_free(struct job *j)
{
	struct job **pp;

	for (pp = &jobs; *pp; pp = &(*pp)->next) {
		if (*pp == j) {
			*pp = j->next;
			break;
		}
	}
	free(j->procs);
	free(j);
}

static int job_count(struct job *j, enum proc_state s)
{
	int i, n = 0;

	for (i = 0; i < j->nprocs; i++)
		n += j->procs[i].state == s;
	return n;
}

static int job_done(struct job *j)
{
	return job_count(j, PS_DONE) == j->nprocs;
}

static int job_stopped(struct job *j)
{
	return !job_count(j, PS_RUNNING) && job_count(j, PS_STOPPED);
}

/* The pid a user sees for a job: the last process, as in $!. */
static pid_t job_pid(struct job *j)
{
	return j->procs[j->nprocs - 1].pid;
}

static struct proc *find_proc(pid_t pid, struct job **jp)
{
	struct job *j;
	int i;

	for (j = jobs; j; j = j->next)
		for (i = 0; i < j->nprocs; i++)
			if (j->procs[i].pid == pid) {
				if (jp)
					*jp = j;
				return &j->procs[i];
			}
	return NULL;
}

/* Wait for one child and record what happened.  -1: nothing (more) to wait. */
static int reap_one(int flags)
{
	struct proc *p;
	int st;
	pid_t pid = waitpid(-1, &st, flags);

	if (pid < 0 && errno == EINTR)
		return 0;
	if (pid <= 0)
		return -1;
	p = find_proc(pid, NULL);
	if (p && WIFSTOPPED(st)) {
		p->state = PS_STOPPED;
	} else if (p) {
		p->state = PS_DONE;
		p->status = st;
	}
	return 0;
}


/* The shell's $? for a wait status. */
static int status_code(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + linux_signo(WTERMSIG(st));
	return 1;
}

static const char *signal_text(int sig)
{
	switch (sig) {
	case SIGHUP: return "Hangup";
	case SIGQUIT: return "Quit";
	case SIGILL: return "Illegal instruction";
	case SIGABRT: return "Aborted";
	case SIGBUS: return "Bus error";
	case SIGFPE: return "Floating point exception";
	case SIGKILL: return "Killed";
	case SIGSEGV: return "Segmentation fault";
	case SIGTERM: return "Terminated";
	case SIGALRM: return "Alarm clock";
	case SIGUSR1: return "User defined signal 1";
	case SIGUSR2: return "User defined signal 2";
	default: return NULL;
	}
}

/* Say why a foreground job died; ^C and broken pipes explain themselves. */
static void report_signal(int st)
{
	int sig;

	if (!WIFSIGNALED(st))
		return;
	sig = WTERMSIG(st);
	if (sig == SIGINT) {
		if (interactive)
			fputc('\n', stderr);
	} else if (sig != SIGPIPE) {
		if (signal_text(sig))
			fprintf(stderr, "%s\n", signal_text(sig));
		else
			fprintf(stderr, "Signal %d\n", linux_signo(sig));
	}
}

static void take_terminal(pid_t pgid)
{
	if (jobctl)
		tcsetpgrp(tty_fd, pgid);
}

/* Wait for a foreground job to finish or stop; returns its $?. */
static int wait_fg(struct job *j)
{
	int st;

	while (job_count(j, PS_RUNNING) > 0) {
		if (reap_one(jobctl ? WUNTRACED : 0) < 0) {
			/* No children left (SIGCHLD ignored?): do not hang. */
			sh_error("lost track of a child: %s", strerror(errno));
			break;
		}
	}
	take_terminal(shell_pgid);
	if (job_stopped(j)) {
		j->background = 1;
		fprintf(stderr, "\n[%d] Stopped\n", (int)job_pid(j));
		return 128 + linux_signo(SIGTSTP);
	}
	st = j->procs[j->nprocs - 1].status;
	report_signal(st);
	job_free(j);
	return status_code(st);
}

/* Collect finished background children without blocking. */
static void reap_background(void)
{
	while (reap_one(WNOHANG | (jobctl ? WUNTRACED : 0)) == 0)
		;
}

static void print_done(struct job *j)
{
	int st = j->procs[j->nprocs - 1].status;

	if (status_code(st) == 0)
		fprintf(stderr, "[%d] Done\n", (int)job_pid(j));
	else
		fprintf(stderr, "[%d] Done (status %d)\n", (int)job_pid(j),
			status_code(st));
}

/* Before a prompt: report finished background jobs and forget them. */
static void notify_jobs(void)
{
	struct job *j, *next;

	for (j = jobs; j; j = next) {
		next = j->next;
		if (j->background && job_done(j)) {
			print_done(j);
			job_free(j);
		}
	}
}

/*
 * A script that starts jobs and never waits must not grow the shell: keep
 * only the newest MAX_DONE_JOBS finished jobs for a later "wait pid".
 */
static void trim_jobs(void)
{
	struct job *j, *next;
	int kept = 0;

	for (j = jobs; j; j = next) {
		next = j->next;
		if (j->background && job_done(j) && ++kept > MAX_DONE_JOBS)
			job_free(j);
	}
}

/* ------------------------------------------------------------------ */
/* Redirections                                                        */
/* ------------------------------------------------------------------ */

/* An fd a builtin's redirection replaced, to put back afterwards. */
struct saved_fd {
	struct saved_fd *next;
	int fd;
	int copy;		/* -1: fd was closed */
};

static int parse_fd(const char *s)
{
	if (isdigit((unsigned char)s[0]) && !s[1])
		return s[0] - '0';
	return -1;
}

static int redirect_dup(struct redir *r, const char *target)
{
	int from = parse_fd(target);

	if (strcmp(target, "-") == 0) {
		close(r->fd);
		return 0;
	}
	if (from < 0) {
		sh_error("%s: bad file descriptor", target);
		return -1;
	}
	if (from != r->fd && dup2(from, r->fd) < 0) {
		sh_error("%d: %s", from, strerror(errno));
		return -1;
	}
	return 0;
}

static int redirect(struct redir *r, const char *target)
{
	int fd, flags;

	switch (r->op) {
	case R_IN: flags = O_RDONLY; break;
	case R_OUT: flags = O_WRONLY | O_CREAT | O_TRUNC; break;
	case R_APPEND: flags = O_WRONLY | O_CREAT | O_APPEND; break;
	default: return redirect_dup(r, target);
	}
	fd = open(target, flags, 0666);
	if (fd < 0) {
		sh_error("%s: %s", target, strerror(errno));
		return -1;
	}
	if (fd != r->fd) {
		if (dup2(fd, r->fd) < 0) {
			sh_error("%s: %s", target, strerror(errno));
			close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}

/* Keep a copy of fd above 9 (redirections only name fds 0-9). */
static void save_fd(int fd, struct saved_fd **saved)
{
	struct saved_fd *s = aalloc(sizeof(*s));

	s->fd = fd;
	s->copy = fcntl(fd, F_DUPFD, 10);
	if (s->copy >= 0)
		fcntl(s->copy, F_SETFD, FD_CLOEXEC);
	s->next = *saved;
	*saved = s;
}

/* Apply a command's redirections; with saved, remember what to restore. */
static int do_redirs(struct command *c, struct saved_fd **saved)
{
	int i;

	for (i = 0; i < c->redirs.n; i++) {
		struct redir *r = c->redirs.v[i];
		char *target = expand_one(r->target);

		if (!target)
			return -1;
		if (saved)
			save_fd(r->fd, saved);
		if (redirect(r, target) < 0)
			return -1;
	}
	return 0;
}

/* Undo do_redirs, newest first; keep != 0 drops the copies instead (exec). */
static void restore_fds(struct saved_fd *s, int keep)
{
	fflush(stdout);
	fflush(stderr);
	for (; s; s = s->next) {
		if (keep) {
			if (s->copy >= 0)
				close(s->copy);
		} else if (s->copy >= 0) {
			dup2(s->copy, s->fd);
			close(s->copy);
		} else {
			close(s->fd);
		}
	}
}

/* NAME=value words of a command; export != 0 for a child's environment. */
static int do_assigns(struct command *c, int export)
{
	int i;

	for (i = 0; i < c->assigns.n; i++) {
		const char *w = c->assigns.v[i];
		size_t n = name_len(w);
		char *value = expand_one(w + n + 1);

		if (!value)
			return -1;
		var_set(w, n, value, export);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Builtins                                                            */
/* ------------------------------------------------------------------ */

static int parse_int(const char *s, int *out)
{
	long v = 0;
	int neg = *s == '-';

	s += (*s == '-' || *s == '+');
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s) || v > 100000000)
			return -1;
		v = v * 10 + (*s - '0');
	}
	*out = neg ? -v : v;
	return 0;
}

static char *get_cwd(void)
{
	size_t size = 256;

	for (;;) {
		char *buf = xmalloc(size);

		if (getcwd(buf, size))
			return buf;
		free(buf);
		if (errno != ERANGE || size > 65536)
			return NULL;
		size *= 2;
	}
}

static int bi_cd(int argc, char **argv)
{
	const char *arg = argc > 1 ? argv[1] : var_get("HOME");
	char *dir, *cwd;
	const char *old;

	if (!arg) {
		sh_error("cd: HOME not set");
		return 1;
	}
	if (strcmp(arg, "-") == 0 && !(arg = var_get("OLDPWD"))) {
		sh_error("cd: OLDPWD not set");
		return 1;
	}
	dir = xstrdup(arg);
	if (chdir(dir) < 0) {
		sh_error("cd: %s: %s", dir, strerror(errno));
		free(dir);
		return 1;
	}
	if ((old = var_get("PWD")))
		var_set("OLDPWD", 6, old, 0);
	if ((cwd = get_cwd())) {
		var_set("PWD", 3, cwd, 0);
		if (argc > 1 && strcmp(argv[1], "-") == 0)
			printf("%s\n", cwd);
		free(cwd);
	}
	free(dir);
	return 0;
}

static int bi_pwd(int argc, char **argv)
{
	char *cwd = get_cwd();

	(void)argc;
	(void)argv;
	if (!cwd) {
		sh_error("pwd: %s", strerror(errno));
		return 1;
	}
	printf("%s\n", cwd);
	free(cwd);
	return 0;
}

static int bi_exit(int argc, char **argv)
{
	int st = last_status;

	if (argc > 1 && parse_int(argv[1], &st) < 0) {
		sh_error("exit: %s: numeric argument required", argv[1]);
		st = 2;
	}
	fflush(stdout);
	exit(st & 255);
}

/* Print a value so the shell can read it back: 'it'\''s' */
static void print_quoted(const char *s)
{
	putchar('\'');
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*s);
	}
	putchar('\'');
}

static int bi_export(int argc, char **argv)
{
	struct var *v;
	int i, st = 0;

	if (argc == 1) {
		for (v = vars; v; v = v->next) {
			if (!v->exported)
				continue;
			printf("export %s", v->name);
			if (v->value) {
				putchar('=');
				print_quoted(v->value);
			}
			putchar('\n');
		}
		return 0;
	}
	for (i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		size_t n = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);

		if (n == 0 || name_len(argv[i]) != n) {
			sh_error("export: '%s': not a valid identifier", argv[i]);
			st = 1;
			continue;
		}
		var_set(argv[i], n, eq ? eq + 1 : NULL, 1);
	}
	return st;
}

static int bi_unset(int argc, char **argv)
{
	int i, st = 0;

	for (i = 1; i < argc; i++) {
		if (name_len(argv[i]) != strlen(argv[i])) {
			sh_error("unset: '%s': not a valid identifier", argv[i]);
			st = 1;
			continue;
		}
		var_unset(argv[i]);
	}
	return st;
}

static int bi_colon(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void exec_path(char **argv);

static void default_signals(void)
{
	if (!interactive)
		return;		/* we changed nothing: keep what we inherited */
	signal(SIGINT, SIG_DFL);
	signal(SIGQUIT, SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
	signal(SIGTTIN, SIG_DFL);
	signal(SIGTTOU, SIG_DFL);
}

/* exec cmd args: replace the shell.  exec alone keeps its redirections. */
static int bi_exec(int argc, char **argv)
{
	if (argc == 1)
		return 0;
	default_signals();
	exec_path(argv + 1);
	return 127;		/* not reached */
}

/* A job named by a pid (any of its processes, or its group), or the newest. */
static struct job *pick_job(int argc, char **argv, const char *who)
{
	struct job *j = NULL;
	int pid;

	if (argc > 1) {
		if (parse_int(argv[1], &pid) < 0 || pid <= 0)
			sh_error("%s: %s: bad pid", who, argv[1]);
		else if (!find_proc(pid, &j))
			for (j = jobs; j && j->pgid != pid; j = j->next)
				;
	} else {
		for (j = jobs; j && !j->background; j = j->next)
			;
	}
	if (j && job_done(j))
		j = NULL;
	if (!j)
		sh_error("%s: no such job", who);
	else if (!jobctl || !j->pgid)
		sh_error("%s: no job control", who), j = NULL;
	return j;
}

static void continue_job(struct job *j)
{
	int i;

	for (i = 0; i < j->nprocs; i++)
		if (j->procs[i].state == PS_STOPPED)
			j->procs[i].state = PS_RUNNING;
	kill(-j->pgid, SIGCONT);
}

static int bi_fg(int argc, char **argv)
{
	struct job *j = pick_job(argc, argv, "fg");

	if (!j)
		return 1;
	j->background = 0;
	take_terminal(j->pgid);
	continue_job(j);
	return wait_fg(j);
}

static int bi_bg(int argc, char **argv)
{
	struct job *j = pick_job(argc, argv, "bg");

	if (!j)
		return 1;
	j->background = 1;
	continue_job(j);
	fprintf(stderr, "[%d]\n", (int)job_pid(j));
	return 0;
}

static int bi_jobs(int argc, char **argv)
{
	struct job *j;

	(void)argc;
	(void)argv;
	reap_background();
	for (j = jobs; j; j = j->next) {
		if (!j->background)
			continue;
		printf("[%d] %s\n", (int)job_pid(j), job_done(j) ? "Done" :
		       job_stopped(j) ? "Stopped" : "Running");
	}
	return 0;
}

/* wait: all background jobs; wait pid...: those, $? of the last one. */
static int bi_wait(int argc, char **argv)
{
	struct job *j, *next;
	int i, pid, st = 0;

	for (i = 1; i < argc; i++) {
		struct proc *p;

		if (parse_int(argv[i], &pid) < 0 || !(p = find_proc(pid, &j))) {
			sh_error("wait: %s: no such child", argv[i]);
			st = 127;
			continue;
		}
		while (p->state != PS_DONE && reap_one(0) == 0)
			;
		st = status_code(p->status);
		if (job_done(j) && j->background)
			job_free(j);
	}
	if (argc > 1)
		return st;
	while (reap_one(0) == 0)
		;
	for (j = jobs; j; j = next) {
		next = j->next;
		if (j->background && job_done(j))
			job_free(j);
	}
	return 0;
}

/* One byte from stdin: never more, so the rest stays for whoever is next. */
static int read_byte(char *c)
{
	ssize_t n;

	do
		n = read(0, c, 1);
	while (n < 0 && errno == EINTR);
	return n == 1;
}

/* Split line into the names; the last one gets the rest of the line. */
static void read_assign(char *line, int nnames, char **names)
{
	int i;

	for (i = 0; i < nnames; i++) {
		char *end;

		line += strspn(line, " \t");
		if (i == nnames - 1) {
			end = line + strlen(line);
			while (end > line && (end[-1] == ' ' || end[-1] == '\t'))
				end--;
		} else {
			end = line + strcspn(line, " \t");
		}
		if (*end)
			*end++ = '\0';
		var_set(names[i], strlen(names[i]), line, 0);
		line = end;
	}
}

/* read [-r] [name...]: one line of stdin into variables (REPLY if none). */
static int bi_read(int argc, char **argv)
{
	static char *reply[] = { "REPLY" };
	struct strbuf line = { 0 };
	int i = 1, k, raw = 0, ok;
	char c;

	if (i < argc && strcmp(argv[i], "-r") == 0)
		raw = ++i;
	for (k = i; k < argc; k++) {
		if (name_len(argv[k]) != strlen(argv[k])) {
			sh_error("read: '%s': not a valid identifier", argv[k]);
			return 2;
		}
	}
	sb_puts(&line, "");
	while ((ok = read_byte(&c)) && c != '\n') {
		/* Without -r, \x is x and backslash-newline joins lines. */
		if (c == '\\' && !raw) {
			if (!(ok = read_byte(&c)))
				break;
			if (c == '\n')
				continue;
		}
		sb_putc(&line, c);
	}
	if (i < argc)
		read_assign(line.s, argc - i, argv + i);
	else
		read_assign(line.s, 1, reply);
	free(line.s);
	return ok ? 0 : 1;
}

/* test's integers: optional sign and digits, nothing else. */
static int test_number(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	if (!*s || *end || errno) {
		sh_error("test: %s: integer expected", s);
		return -1;
	}
	return 0;
}

/* -1: op is not a unary operator; otherwise 1 (true) or 0. */
static int test_unary(const char *op, const char *arg)
{
	struct stat st;
	int ok;

	if (op[0] != '-' || !op[1] || op[2])
		return -1;
	if (op[1] == 'n' || op[1] == 'z')
		return (*arg != '\0') == (op[1] == 'n');
	if (op[1] == 'h' || op[1] == 'L')
		return lstat(arg, &st) == 0 && S_ISLNK(st.st_mode);
	if (op[1] == 'r' || op[1] == 'w' || op[1] == 'x')
		return access(arg, op[1] == 'r' ? R_OK : op[1] == 'w' ? W_OK :
			      X_OK) == 0;
	if (op[1] == 't')
		return isatty(atoi(arg));
	ok = stat(arg, &st) == 0;
	switch (op[1]) {
	case 'e': return ok;
	case 'f': return ok && S_ISREG(st.st_mode);
	case 'd': return ok && S_ISDIR(st.st_mode);
	case 'p': return ok && S_ISFIFO(st.st_mode);
	case 'c': return ok && S_ISCHR(st.st_mode);
	case 'b': return ok && S_ISBLK(st.st_mode);
	case 's': return ok && st.st_size > 0;
	default: return -1;
	}
}

/* -1: not a binary operator; -2: bad number; otherwise 1 or 0. */
static int test_binary(const char *a, const char *op, const char *b)
{
	static const char *ops[] = { "-eq", "-ne", "-lt", "-le", "-gt", "-ge" };
	long x, y;
	int i;

	if (strcmp(op, "=") == 0 || strcmp(op, "!=") == 0)
		return (strcmp(a, b) == 0) == (op[0] == '=');
	for (i = 0; i < 6 && strcmp(op, ops[i]) != 0; i++)
		;
	if (i == 6)
		return -1;
	if (test_number(a, &x) < 0 || test_number(b, &y) < 0)
		return -2;
	switch (i) {
	case 0: return x == y;
	case 1: return x != y;
	case 2: return x < y;
	case 3: return x <= y;
	case 4: return x > y;
	default: return x >= y;
	}
}

/* POSIX's rules by argument count; returns 1 true, 0 false, -1 error. */
static int test_eval(int n, char **a)
{
	int r;

	switch (n) {
	case 0: return 0;
	case 1: return a[0][0] != '\0';
	case 2:
		if (strcmp(a[0], "!") == 0)
			return !test_eval(1, a + 1);
		if ((r = test_unary(a[0], a[1])) >= 0)
			return r;
		sh_error("test: %s: unary operator expected", a[0]);
		return -1;
	case 3:
		if ((r = test_binary(a[0], a[1], a[2])) != -1)
			return r == -2 ? -1 : r;
		if (strcmp(a[0], "!") == 0)
			return (r = test_eval(2, a + 1)) < 0 ? r : !r;
		sh_error("test: %s: binary operator expected", a[1]);
		return -1;
	case 4:
		if (strcmp(a[0], "!") == 0)
			return (r = test_eval(3, a + 1)) < 0 ? r : !r;
		/* fall through */
	default:
		sh_error("test: too many arguments");
		return -1;
	}
}

/* test expr, [ expr ]: 0 true, 1 false, 2 error.  No -a, -o or ( ). */
static int bi_test(int argc, char **argv)
{
	int r;

	if (strcmp(argv[0], "[") == 0) {
		if (strcmp(argv[argc - 1], "]") != 0) {
			sh_error("[: missing ]");
			return 2;
		}
		argc--;
	}
	r = test_eval(argc - 1, argv + 1);
	return r < 0 ? 2 : !r;
}

struct builtin {
	const char *name;
	int (*fn)(int argc, char **argv);
};

static const struct builtin builtins[] = {
	{ ":", bi_colon }, { "[", bi_test }, { "bg", bi_bg }, { "cd", bi_cd },
	{ "exec", bi_exec }, { "exit", bi_exit }, { "export", bi_export },
	{ "fg", bi_fg }, { "jobs", bi_jobs }, { "pwd", bi_pwd },
	{ "read", bi_read }, { "test", bi_test }, { "unset", bi_unset },
	{ "wait", bi_wait },
};

static const struct builtin *find_builtin(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (strcmp(builtins[i].name, name) == 0)
			return &builtins[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Executing commands                                                  */
/* ------------------------------------------------------------------ */

/* execve, running a file with no #! line as a script of /bin/sh. */
static void try_exec(const char *path, char **argv, char **envp)
{
	int n = 0, err;
	char **nargv;

	execve(path, argv, envp);
	if (errno != ENOEXEC)
		return;
	while (argv[n])
		n++;
	nargv = xmalloc((n + 2) * sizeof(*nargv));
	nargv[0] = "sh";
	nargv[1] = (char *)path;
	memcpy(nargv + 2, argv + 1, n * sizeof(*nargv));
	execve("/bin/sh", nargv, envp);
	err = ENOEXEC;
	free(nargv);
	errno = err;
}

/* Search PATH and exec; never returns (126: found, can't run; 127: none). */
static void exec_path(char **argv)
{
	char **envp = build_env();
	const char *name = argv[0], *path = var_get("PATH");
	struct strbuf full = { 0 };
	int err = ENOENT;

	if (strchr(name, '/')) {
		try_exec(name, argv, envp);
		err = errno;
	} else if (*name) {
		if (!path)
			path = DEFAULT_PATH;
		for (;;) {
			const char *colon = strchr(path, ':');
			size_t n = colon ? (size_t)(colon - path) : strlen(path);

			sb_clear(&full);
			sb_putn(&full, n ? path : ".", n ? n : 1);
			sb_putc(&full, '/');
			sb_puts(&full, name);
			try_exec(full.s, argv, envp);
			if (errno != ENOENT && errno != ENOTDIR && err == ENOENT)
				err = errno;	/* e.g. EACCES: remember, go on */
			if (!colon)
				break;
			path = colon + 1;
		}
	}
	if (err == ENOENT || err == ENOTDIR) {
		sh_error("%s: not found", name);
		_exit(127);
	}
	sh_error("%s: %s", name, strerror(err));
	_exit(126);
}

/* In a child: run one command of a pipeline.  argv, if given, is expanded. */
static void exec_command(struct command *c, struct vec *argv)
{
	struct vec words;
	const struct builtin *b;

	if (!argv) {
		if (expand_words(&c->words, &words) < 0)
			_exit(1);
		argv = &words;
	}
	if (do_assigns(c, 1) < 0 || do_redirs(c, NULL) < 0)
		_exit(1);
	if (argv->n == 0)
		_exit(0);
	b = find_builtin(argv->v[0]);
	if (b) {
		int st = b->fn(argv->n, (char **)argv->v);

		fflush(stdout);
		_exit(st);
	}
	exec_path((char **)argv->v);
}

/* In a child: join the job's group, take the terminal, reset signals. */
static void child_setup(struct job *j, int bg)
{
	if (jobctl) {
		pid_t pg = j->pgid ? j->pgid : getpid();

		setpgid(0, pg);
		if (!bg)
			tcsetpgrp(tty_fd, pg);	/* SIGTTOU still ignored here */
	}
	default_signals();
	if (bg && !jobctl) {
		/* POSIX: a background job without job control ignores ^C. */
		signal(SIGINT, SIG_IGN);
		signal(SIGQUIT, SIG_IGN);
	}
}

/*
 * ^C and ^\ are blocked from just before fork until the child has chosen
 * its dispositions (child_setup): otherwise a "kill -INT $!" could reach a
 * background child that is about to ignore it.  Setting SIG_IGN discards
 * a signal left pending.
 */
static void block_int(int block)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGQUIT);
	sigprocmask(block ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

static void move_fd(int from, int to)
{
	if (from >= 0 && from != to) {
		dup2(from, to);
		close(from);
	}
}

/* Record a started child in its job; with job control, set its group. */
static void add_proc(struct job *j, pid_t pid, int bg)
{
	j->procs[j->nprocs].pid = pid;
	j->procs[j->nprocs].state = PS_RUNNING;
	j->procs[j->nprocs].status = 0;
	j->nprocs++;
	if (jobctl) {
		if (!j->pgid)
			j->pgid = pid;
		setpgid(pid, j->pgid);	/* also here: no race with the child */
		if (!bg)
			take_terminal(j->pgid);
	}
}

/* Fork one process of a pipeline; in_fd/pipefd are its pipe ends or -1. */
static pid_t fork_proc(struct job *j, int bg, int in_fd, int pipefd[2],
		       struct command *c, struct vec *argv)
{
	pid_t pid;

	fflush(NULL);
	block_int(1);
	pid = fork();
	if (pid == 0)
		child_setup(j, bg);
	block_int(0);
	if (pid < 0) {
		sh_error("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (pipefd[0] >= 0)
			close(pipefd[0]);
		move_fd(in_fd, 0);
		move_fd(pipefd[1], 1);
		exec_command(c, argv);
	}
	add_proc(j, pid, bg);
	return pid;
}

static void announce_bg(struct job *j)
{
	last_bg_pid = job_pid(j);
	if (interactive)
		fprintf(stderr, "[%d]\n", (int)last_bg_pid);
}

/* Start every process of a pipeline; wait for it unless bg. */
static int run_job(struct pipeline *pl, int bg, struct vec *argv)
{
	struct job *j = job_new(pl->cmds.n, bg);
	int i, in_fd = -1, failed = 0;

	for (i = 0; i < pl->cmds.n && !failed; i++) {
		int pipefd[2] = { -1, -1 };

		if (i + 1 < pl->cmds.n && pipe(pipefd) < 0) {
			sh_error("pipe: %s", strerror(errno));
			failed = 1;
			break;
		}
		if (fork_proc(j, bg, in_fd, pipefd, pl->cmds.v[i], argv) < 0) {
			failed = 1;
			if (pipefd[0] >= 0)
				close(pipefd[0]);
		}
		if (in_fd >= 0)
			close(in_fd);
		if (pipefd[1] >= 0)
			close(pipefd[1]);
		in_fd = pipefd[0];
	}
	if (in_fd >= 0 && failed)
		close(in_fd);
	if (j->nprocs == 0) {
		job_free(j);
		return 1;
	}
	if (bg) {
		announce_bg(j);
		return 0;
	}
	i = wait_fg(j);
	return failed ? 1 : i;
}

/* A builtin, or a command with no words, runs in the shell itself. */
static int run_here(struct command *c, struct vec *argv)
{
	const struct builtin *b = argv->n ? find_builtin(argv->v[0]) : NULL;
	struct saved_fd *saved = NULL;
	int st = 1;

	if (do_assigns(c, 0) < 0)
		return 1;
	if (do_redirs(c, &saved) == 0)
		st = b ? b->fn(argv->n, (char **)argv->v) : 0;
	restore_fds(saved, b && b->fn == bi_exec && st == 0);
	return st;
}

static int run_pipeline(struct pipeline *pl, int bg)
{
	struct vec argv;
	struct command *c = pl->cmds.v[0];

	if (pl->cmds.n > 1 || bg)
		return run_job(pl, bg, NULL);
	/* Expand now to know whether it is a builtin. */
	if (expand_words(&c->words, &argv) < 0)
		return 1;
	if (argv.n == 0 || find_builtin(argv.v[0]))
		return run_here(c, &argv);
	return run_job(pl, 0, &argv);
}

static int run_andor(struct andor *a)
{
	int i, st = 0;

	for (i = 0; i < a->pipes.n; i++) {
		struct pipeline *pl = a->pipes.v[i];

		if ((pl->op == T_AND_IF && st != 0) ||
		    (pl->op == T_OR_IF && st == 0))
			continue;
		st = run_pipeline(pl, 0);
		if (pl->negate)
			st = !st;
		last_status = st;
	}
	return st;
}

/* a && b &: the whole and-or list runs in a forked copy of the shell. */
static void run_background(struct andor *a)
{
	struct job *j;
	pid_t pid;

	if (a->pipes.n == 1) {
		run_pipeline(a->pipes.v[0], 1);
		return;
	}
	j = job_new(1, 1);
	fflush(NULL);
	block_int(1);
	pid = fork();
	if (pid == 0)
		child_setup(j, 1);
	block_int(0);
	if (pid < 0) {
		sh_error("fork: %s", strerror(errno));
		job_free(j);
		return;
	}
	if (pid == 0) {
		jobctl = 0;	/* its pipelines stay in its own group */
		interactive = 0;
		exit(run_andor(a));
	}
	add_proc(j, pid, 1);
	announce_bg(j);
}

static int run_list(struct vec *list)
{
	int i;

	for (i = 0; i < list->n; i++) {
		struct andor *a = list->v[i];

		if (a->background) {
			run_background(a);
			last_status = 0;
		} else {
			last_status = run_andor(a);
		}
	}
	return last_status;
}

/* ------------------------------------------------------------------ */
/* Input and the main loop                                             */
/* ------------------------------------------------------------------ */

struct input {
	int fd;			/* -1: reading str */
	const char *str;	/* sh -c */
	int bytewise;		/* a pipe or tty shared with our children */
	int seekable;		/* a file shared with children: seek back */
	char buf[4096];
	size_t pos, len;
};

static int in_getc(struct input *in)
{
	ssize_t n;

	if (in->fd < 0)
		return *in->str ? (unsigned char)*in->str++ : -1;
	if (in->pos == in->len) {
		/*
		 * Read no further than we use from an input our children
		 * share, so that "read x" or "cat" in a script read from
		 * stdin gets the lines after it, not a block we swallowed.
		 */
		do
			n = read(in->fd, in->buf,
				 in->bytewise ? 1 : sizeof(in->buf));
		while (n < 0 && errno == EINTR);
		if (n <= 0)
			return -1;
		in->pos = 0;
		in->len = n;
	}
	return (unsigned char)in->buf[in->pos++];
}

/* Before running commands: give back what we read ahead of a shared file. */
static void input_sync(struct input *in)
{
	if (in->seekable && in->pos < in->len) {
		lseek(in->fd, -(off_t)(in->len - in->pos), SEEK_CUR);
		in->pos = in->len = 0;
	}
}

/* Append one line (with its '\n' if any).  Returns 0 at end of input. */
static int read_line(struct input *in, struct strbuf *b)
{
	int c, got = 0;

	while ((c = in_getc(in)) >= 0) {
		got = 1;
		if (c == '\0')
			continue;	/* a NUL would end the text early */
		sb_putc(b, c);
		if (c == '\n')
			break;
	}
	return got;
}

/* Lex, parse and run text.  P_INCOMPLETE: the caller reads another line. */
static int run_text(const char *text, struct input *in)
{
	struct vec toks = { 0 }, list = { 0 };
	int r = lex(text, &toks);

	if (r == P_OK)
		r = parse(&toks, &list);
	if (r == P_OK) {
		input_sync(in);
		run_list(&list);
		if (!interactive) {
			reap_background();
			trim_jobs();
		}
	} else if (r == P_ERROR) {
		last_status = 2;
	}
	arena_reset();
	return r;
}

static void prompt(const char *var, const char *dflt)
{
	const char *p = var_get(var);

	fputs(p ? p : dflt, stderr);
}

static int main_loop(struct input *in)
{
	struct strbuf text = { 0 };

	for (;;) {
		int r;

		if (interactive && text.len == 0) {
			reap_background();
			notify_jobs();
		}
		if (interactive)
			prompt(text.len ? "PS2" : "PS1", text.len ? "> " : "$ ");
		if (!read_line(in, &text)) {
			if (interactive)
				fputc('\n', stderr);	/* ^D left us mid-line */
			if (text.len) {
				sh_error("syntax error: unexpected end of file");
				last_status = 2;
			}
			break;
		}
		r = run_text(text.s, in);
		if (r == P_INCOMPLETE)
			continue;
		sb_clear(&text);
		if (r == P_ERROR && !interactive)
			break;		/* a broken script stops, status 2 */
	}
	free(text.s);
	return last_status;
}

/*
 * Interactive: wait until we are in the foreground, then take a process
 * group of our own and the terminal.  Without a controlling terminal
 * (tcgetpgrp fails) we stay interactive but without job control.
 */
static void init_job_control(void)
{
	pid_t pg;

	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	tty_fd = fcntl(0, F_DUPFD, 10);
	if (tty_fd < 0)
		return;
	fcntl(tty_fd, F_SETFD, FD_CLOEXEC);
	while ((pg = tcgetpgrp(tty_fd)) >= 0 && pg != getpgrp())
		kill(-getpgrp(), SIGTTIN);
	signal(SIGTTIN, SIG_IGN);
	if (pg < 0)
		return;
	if (getpgrp() != getpid())
		setpgid(0, 0);
	shell_pgid = getpgrp();
	if (tcsetpgrp(tty_fd, shell_pgid) == 0)
		jobctl = 1;
}

static void open_script(const char *path, struct input *in)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		sh_error("%s: %s", path, strerror(errno));
		exit(127);
	}
	/* Out of the way of redirections, which name fds 0-9. */
	in->fd = fcntl(fd, F_DUPFD, 10);
	if (in->fd < 0)
		in->fd = fd;
	else
		close(fd);
	fcntl(in->fd, F_SETFD, FD_CLOEXEC);
}

static void setup_input(int argc, char **argv, struct input *in)
{
	arg0 = argv[0];
	if (argc > 1 && strcmp(argv[1], "-c") == 0) {
		if (argc < 3) {
			sh_error("-c: option requires an argument");
			exit(2);
		}
		in->fd = -1;
		in->str = argv[2];
		if (argc > 3)
			arg0 = argv[3];
		params = argv + 4;
		nparams = argc > 4 ? argc - 4 : 0;
	} else if (argc > 1 && argv[1][0] == '-' && argv[1][1]) {
		sh_error("%s: unknown option", argv[1]);
		exit(2);
	} else if (argc > 1) {
		open_script(argv[1], in);
		arg0 = argv[1];
		params = argv + 2;
		nparams = argc - 2;
	} else {
		in->fd = 0;
		interactive = isatty(0);
		in->seekable = !interactive && lseek(0, 0, SEEK_CUR) >= 0;
		in->bytewise = !in->seekable;
	}
}

int main(int argc, char **argv)
{
	static struct input in;
	char *cwd, ppid[32];

	shell_pid = getpid();
	vars_import(environ);
	snprintf(ppid, sizeof(ppid), "%d", (int)getppid());
	var_set("PPID", 4, ppid, 0);
	if ((cwd = get_cwd())) {
		var_set("PWD", 3, cwd, 1);
		free(cwd);
	}
	/* Inherited SIG_IGN would make the kernel reap our children for us. */
	signal(SIGCHLD, SIG_DFL);
	setup_input(argc, argv, &in);
	if (interactive)
		init_job_control();
	return main_loop(&in);
}
