/* test_lib.c - arena, strbuf, config, timeutil and secret. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/arena.h"
#include "lib/config.h"
#include "lib/secret.h"
#include "lib/strbuf.h"
#include "lib/timeutil.h"

static void test_arena_alloc_and_strings(void **state)
{
	(void)state;
	mt_arena a;
	arena_init(&a);
	char *s = arena_printf(&a, "%s-%d", "pair", 42);
	assert_string_equal(s, "pair-42");
	/* Large allocations get their own block and stay zeroed and aligned. */
	unsigned char *big = arena_alloc(&a, 1 << 20);
	for (size_t i = 0; i < (1 << 20); i += 4096)
		assert_int_equal(big[i], 0);
	assert_int_equal((uintptr_t)big % 16, 0);
	assert_null(arena_strdup(&a, NULL));
	assert_string_equal(arena_strndup(&a, "abcdef", 3), "abc");
	int *grown = arena_realloc(&a, NULL, 0, 4 * sizeof(int));
	grown[3] = 7;
	grown = arena_realloc(&a, grown, 4 * sizeof(int), 8 * sizeof(int));
	assert_int_equal(grown[3], 7);
	arena_free(&a);
}

static void test_strbuf(void **state)
{
	(void)state;
	strbuf sb = STRBUF_INIT;
	assert_string_equal(sb_str(&sb), "");
	for (int i = 0; i < 1000; i++)
		sb_addf(&sb, "%d,", i);
	assert_int_equal(strncmp(sb.buf, "0,1,2,", 6), 0);
	assert_int_equal(sb.len, strlen(sb.buf));
	sb_reset(&sb);
	sb_adds(&sb, "x");
	char *owned = sb_detach(&sb);
	assert_string_equal(owned, "x");
	assert_null(sb.buf);
	free(owned);
}

static void test_config_file_env_and_errors(void **state)
{
	(void)state;
	char path[] = "/tmp/mt-config-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *text = "# comment\nlisten = 0.0.0.0:9090\ndb = /tmp/x.db\nthreads=3\n";
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	mt_config c;
	mt_error err;
	config_defaults(&c);
	assert_int_equal(c.port, 8080);
	assert_int_equal(config_load_file(&c, path, &err), 0);
	assert_string_equal(c.host, "0.0.0.0");
	assert_int_equal(c.port, 9090);
	assert_string_equal(c.db_path, "/tmp/x.db");
	assert_int_equal(c.threads, 3);
	setenv("MENTORTRACK_THREADS", "5", 1);
	assert_int_equal(config_load_env(&c, &err), 0);
	assert_int_equal(c.threads, 5);
	unsetenv("MENTORTRACK_THREADS");
	assert_int_equal(config_set(&c, "listen", "nohostport", &err), -1);
	assert_string_equal(err.field, "listen");
	assert_int_equal(config_set(&c, "threads", "zero", &err), -1);
	assert_non_null(strstr(err.message, "between 1 and 256"));
	assert_int_equal(config_set(&c, "colour", "blue", &err), -1);
	assert_non_null(strstr(err.message, "unknown setting"));
	/* The KPI refresher: on every 2 s by default, 0 turns it off. */
	assert_int_equal(c.kpi_refresh, 2);
	setenv("MENTORTRACK_KPI_REFRESH", "0", 1);
	assert_int_equal(config_load_env(&c, &err), 0);
	assert_int_equal(c.kpi_refresh, 0);
	unsetenv("MENTORTRACK_KPI_REFRESH");
	assert_int_equal(config_set(&c, "kpi_refresh", "-1", &err), -1);
	assert_string_equal(err.field, "kpi_refresh");
	/* A bad line in a file names the file and the line. */
	FILE *f = fopen(path, "w");
	fputs("db = a.db\nthreads = lots\n", f);
	fclose(f);
	assert_int_equal(config_load_file(&c, path, &err), -1);
	assert_non_null(strstr(err.message, "line 2"));
	unlink(path);
}

static void test_time_parse(void **state)
{
	(void)state;
	time_t t;
	char buf[32];
	assert_int_equal(time_parse_iso("2024-02-29", &t), 0);
	time_format_date(t, buf, sizeof(buf));
	assert_string_equal(buf, "2024-02-29");
	assert_int_equal(time_parse_iso("2023-02-29", &t), -1);
	assert_int_equal(time_parse_iso("2024-13-01", &t), -1);
	assert_int_equal(time_parse_iso("2024-05-06T07:08:09Z", &t), 0);
	time_format_iso(t, buf, sizeof(buf));
	assert_string_equal(buf, "2024-05-06T07:08:09Z");
	assert_int_equal(time_parse_iso("2024-05-06T07:08", &t), -1);
	setenv("MENTORTRACK_NOW", "2030-01-02", 1);
	time_today(buf, sizeof(buf));
	assert_string_equal(buf, "2030-01-02");
	unsetenv("MENTORTRACK_NOW");
}

static void test_secret(void **state)
{
	(void)state;
	assert_int_equal(secret_init(), 0);
	char hash[SECRET_HASH_LEN];
	assert_int_equal(secret_password_hash("correct horse", hash), 0);
	assert_non_null(strstr(hash, "$argon2id$"));
	assert_true(secret_password_verify(hash, "correct horse"));
	assert_false(secret_password_verify(hash, "correct horsE"));
	char t1[SECRET_TOKEN_LEN], t2[SECRET_TOKEN_LEN], d1[SECRET_DIGEST_LEN], d2[SECRET_DIGEST_LEN];
	secret_token(t1);
	secret_token(t2);
	assert_int_equal(strlen(t1), 67);
	assert_string_not_equal(t1, t2);
	secret_digest(t1, d1);
	secret_digest(t1, d2);
	assert_string_equal(d1, d2);
	assert_int_equal(strlen(d1), 64);
	assert_true(secret_equal(t1, t1));
	assert_false(secret_equal(t1, t2));
	assert_false(secret_equal("", ""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_alloc_and_strings),
		cmocka_unit_test(test_strbuf),
		cmocka_unit_test(test_config_file_env_and_errors),
		cmocka_unit_test(test_time_parse),
		cmocka_unit_test(test_secret),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
