/* test-util.c: unit tests of the growable buffer's formatting: decimal numbers and printf into the room there is. */
#include <stdint.h>

#include "check.h"
#include "core/util.h"

int main(void)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[FMT_U64_LEN], big[300];
	int i;

	CHECK_INT(fmt_u64(buf, 0), 1);
	CHECK_STR(buf, "0");
	CHECK_INT(fmt_u64(buf, 9), 1);
	CHECK_INT(fmt_u64(buf, 10), 2);
	CHECK_STR(buf, "10");
	CHECK_INT(fmt_u64(buf, 4294967295U), 10);
	CHECK_STR(buf, "4294967295");
	CHECK_INT(fmt_u64(buf, UINT64_MAX), 20);
	CHECK_STR(buf, "18446744073709551615");

	CHECK(sb_puts(&sb, "pid ") == 0);
	CHECK(sb_put_u64(&sb, 1234) == 0);
	CHECK(sb_putc(&sb, ' ') == 0);
	CHECK(sb_put_u64(&sb, 0) == 0);
	CHECK_STR(sb.p, "pid 1234 0");
	CHECK_INT(sb.len, 10);

	/* printf into an empty buffer, into the room left, and past it. */
	sb_free(&sb);
	CHECK(sb_printf(&sb, "%s-%d", "a", 1) == 0);
	CHECK_STR(sb.p, "a-1");
	CHECK(sb_printf(&sb, "[%u]", 42U) == 0);
	CHECK_STR(sb.p, "a-1[42]");
	for (i = 0; i < (int)sizeof(big) - 1; i++)
		big[i] = 'x';
	big[sizeof(big) - 1] = '\0';
	CHECK(sb_printf(&sb, "<%s>", big) == 0);
	CHECK_INT(sb.len, 7 + 2 + sizeof(big) - 1);
	CHECK(sb.p[7] == '<' && sb.p[sb.len - 1] == '>' && sb.p[sb.len] == '\0');
	CHECK(sb_printf(&sb, "%s", "") == 0);
	CHECK_INT(sb.len, 7 + 2 + sizeof(big) - 1);
	sb_reset(&sb);
	CHECK(sb_printf(&sb, "%d", -5) == 0);
	CHECK_STR(sb.p, "-5");
	sb_free(&sb);
	CHECK_DONE();
}
