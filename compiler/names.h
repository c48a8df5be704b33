/* How .actor names become C and protobuf names. One rule each, used by every
 * back end and by the clash checks, so what is checked is what is emitted.
 *
 * - tact's own C names: the package with dots as underscores, then the
 *   declaration: package bank.x, actor Account -> bank_x_Account_spawn().
 * - protoc-c's names (it names the message structs), reproduced exactly:
 *   Bank__X__Entry (each part CamelCased), bank__x__entry__descriptor (each
 *   part lowered with '_' before an upper-case letter that follows a lower one). */
#ifndef TACTC_NAMES_H
#define TACTC_NAMES_H

#include <stdbool.h>

#include "ast.h"

/* "last_result" -> "LastResult" (protoc-c's ToCamel). */
char *name_camel(const char *s);
/* protoc-c's CamelToLower / CamelToUpper: "a1B" -> "a1_b" / "A1_B". */
char *name_lower(const char *s);
char *name_upper(const char *s);

/* "bank.x" -> "bank_x" */
char *name_c_prefix(const char *package);

/* protoc-c's struct name for a message nested as parts[0].parts[1]... in package. */
char *name_pb_type(const char *package, const char *const *parts, int n);
/* protoc-c's lower-case name (descriptor: add "__descriptor"). */
char *name_pb_lower(const char *package, const char *const *parts, int n);

/* True for C11 and C++ keywords and names the generated code cannot take. */
bool name_is_reserved(const char *s);

/* True for names gcc and clang predefine as macros in their GNU modes
 * (-std=gnu11: linux, unix, i386, ...), which break any C that uses them bare. */
bool name_is_gnu_macro(const char *s);

/* The member protoc-c gives a field in its struct: the name lower-cased. */
char *name_member(const char *s);

/* Names the generated functions use beside the parameters (library
 * functions and types, and their own locals): no parameter may take them. */
bool name_is_used_by_generated_code(const char *s);


#endif
