/*
 * Looks a field up in HotSpot's gHotSpotVMStructs, the table that the
 * serviceability agent reads (src/hotspot/share/runtime/vmStructs.cpp).
 *
 * The layout of the table's entries is itself exported as numbers
 * (gHotSpotVMStructEntry*Offset, ...ArrayStride), so no struct layout is
 * assumed here. The tables are static data in libjvm's own image, mapped for
 * the life of the process, and exported for exactly this kind of reader,
 * which is why they are read directly: this is the only VM memory read in
 * carrierid that is not checked with a fault-safe read first.
 *
 * A field is looked up in the named type and then in its supertypes (from
 * gHotSpotVMTypes), because fields move up the hierarchy between releases:
 * _osthread moved from JavaThread to Thread between JDK 21 and 25. All the
 * fields asked for are found in one pass over the fields table (as
 * async-profiler's reader does), after one short walk of the types table per
 * field for its supertypes.
 */
#define _GNU_SOURCE
#include "vm_structs.h"

#include <dlfcn.h>
#include <stdint.h>
#include <string.h>

#include "io_carrierid_Native.h"

/* How many fields one call may ask for, and how deep a type hierarchy is followed (HotSpot's threads: 3-4; the bound guards against a cyclic table). */
#define MAX_FIELDS 8
#define MAX_DEPTH 16

/* How to walk one of the two exported arrays: its base and where each column sits. */
typedef struct {
    const char *base;
    uint64_t stride;
    uint64_t name_at;   /* typeName in both tables */
    uint64_t second_at; /* fieldName (VMStructs) or superclassName (VMTypes) */
    uint64_t static_at; /* isStatic (VMStructs only) */
    uint64_t offset_at; /* offset (VMStructs only) */
} table;

static const uint64_t *symbol(void *jvm, const char *name) {
    return (const uint64_t *) dlsym(jvm, name);
}

static int open_tables(void *jvm, table *fields, table *types) {
    const uint64_t *fbase = symbol(jvm, "gHotSpotVMStructs");
    const uint64_t *fstride = symbol(jvm, "gHotSpotVMStructEntryArrayStride");
    const uint64_t *ftype = symbol(jvm, "gHotSpotVMStructEntryTypeNameOffset");
    const uint64_t *ffield = symbol(jvm, "gHotSpotVMStructEntryFieldNameOffset");
    const uint64_t *fstatic = symbol(jvm, "gHotSpotVMStructEntryIsStaticOffset");
    const uint64_t *foffset = symbol(jvm, "gHotSpotVMStructEntryOffsetOffset");
    const uint64_t *tbase = symbol(jvm, "gHotSpotVMTypes");
    const uint64_t *tstride = symbol(jvm, "gHotSpotVMTypeEntryArrayStride");
    const uint64_t *ttype = symbol(jvm, "gHotSpotVMTypeEntryTypeNameOffset");
    const uint64_t *tsuper = symbol(jvm, "gHotSpotVMTypeEntrySuperclassNameOffset");
    if (!fbase || !fstride || !ftype || !ffield || !fstatic || !foffset
        || !tbase || !tstride || !ttype || !tsuper || *fbase == 0 || *tbase == 0) {
        return -1;
    }
    *fields = (table) { (const char *) (uintptr_t) *fbase, *fstride, *ftype, *ffield, *fstatic, *foffset };
    *types = (table) { (const char *) (uintptr_t) *tbase, *tstride, *ttype, *tsuper, 0, 0 };
    return 0;
}

static const char *column_string(const char *entry, uint64_t at) {
    const char *value;
    memcpy(&value, entry + at, sizeof value);
    return value;
}

/* The supertype's name, or NULL for a root type or one the table does not know. */
static const char *supertype_of(const table *types, const char *type) {
    for (const char *e = types->base;; e += types->stride) {
        const char *type_name = column_string(e, types->name_at);
        if (type_name == NULL) {
            return NULL;
        }
        if (strcmp(type_name, type) == 0) {
            return column_string(e, types->second_at);
        }
    }
}

/* One field asked for: its name, the type and its supertypes (nearest first), and the best match so far. */
typedef struct {
    const char *field;
    const char *chain[MAX_DEPTH];
    int depth;          /* entries in chain */
    int found_at_depth; /* MAX_DEPTH: not found yet */
    long long offset;
} wanted;

/* Records the entry (type_name, field_name, offset) for every field it answers better than before. */
static void match(wanted *want, int count, const char *type_name, const char *field_name, long long offset) {
    for (int i = 0; i < count; i++) {
        if (strcmp(field_name, want[i].field) != 0) {
            continue;
        }
        for (int d = 0; d < want[i].depth && d < want[i].found_at_depth; d++) {
            if (strcmp(type_name, want[i].chain[d]) == 0) {
                want[i].found_at_depth = d;
                want[i].offset = offset;
                break;
            }
        }
    }
}

/* One pass over the fields table: each wanted field's offset in its nearest declaring type, else NO_FIELD. */
static void find_fields(const table *fields, wanted *want, int count) {
    for (const char *e = fields->base;; e += fields->stride) {
        const char *type_name = column_string(e, fields->name_at);
        if (type_name == NULL) {
            break; /* the array ends at a NULL type name */
        }
        const char *field_name = column_string(e, fields->second_at);
        int32_t is_static;
        memcpy(&is_static, e + fields->static_at, sizeof is_static);
        if (!is_static && field_name != NULL) {
            uint64_t offset;
            memcpy(&offset, e + fields->offset_at, sizeof offset);
            match(want, count, type_name, field_name, (long long) offset);
        }
    }
}

/* libjvm's handle, found from a JNI function it implements, so it works whether or not it was loaded RTLD_GLOBAL. */
static void *open_jvm(JNIEnv *env) {
    Dl_info info;
    if (dladdr((void *) (*env)->GetVersion, &info) == 0 || info.dli_fname == NULL) {
        return NULL;
    }
    return dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD);
}

/* Fills result[i] for each (types[i], names[i]): an offset, NO_FIELD or NO_TABLE. */
static void lookup(JNIEnv *env, const char **types, const char **names, int count, jlong *result) {
    for (int i = 0; i < count; i++) {
        result[i] = io_carrierid_Native_VMSTRUCTS_NO_TABLE;
    }
    void *jvm = open_jvm(env);
    if (jvm == NULL) {
        return;
    }
    table fields, table_of_types;
    if (open_tables(jvm, &fields, &table_of_types) == 0) {
        wanted want[MAX_FIELDS];
        for (int i = 0; i < count; i++) {
            want[i].field = names[i];
            want[i].depth = 0;
            want[i].found_at_depth = MAX_DEPTH;
            for (const char *type = types[i]; type != NULL && want[i].depth < MAX_DEPTH;
                 type = supertype_of(&table_of_types, type)) {
                want[i].chain[want[i].depth++] = type;
            }
        }
        find_fields(&fields, want, count);
        for (int i = 0; i < count; i++) {
            result[i] = want[i].found_at_depth < MAX_DEPTH ? (jlong) want[i].offset : io_carrierid_Native_VMSTRUCTS_NO_FIELD;
        }
    }
    dlclose(jvm); /* balances the reference RTLD_NOLOAD took; libjvm stays loaded */
}

/* The strings of a Java String[], or -1 (with what was got released by release_strings). */
static int get_strings(JNIEnv *env, jobjectArray array, int count, jstring *refs, const char **chars) {
    for (int i = 0; i < count; i++) {
        refs[i] = (jstring) (*env)->GetObjectArrayElement(env, array, i);
        chars[i] = refs[i] != NULL ? (*env)->GetStringUTFChars(env, refs[i], NULL) : NULL;
        if (chars[i] == NULL) {
            return -1;
        }
    }
    return 0;
}

static void release_strings(JNIEnv *env, int count, jstring *refs, const char **chars) {
    for (int i = 0; i < count; i++) {
        if (chars[i] != NULL) {
            (*env)->ReleaseStringUTFChars(env, refs[i], chars[i]);
        }
        if (refs[i] != NULL) {
            (*env)->DeleteLocalRef(env, refs[i]);
        }
    }
}

JNIEXPORT jlongArray JNICALL Java_io_carrierid_Native_vmStructsFields(JNIEnv *env, jclass cls, jobjectArray types,
                                                                       jobjectArray fields) {
    (void) cls;
    int count = (int) (*env)->GetArrayLength(env, types);
    if (count > MAX_FIELDS || count != (int) (*env)->GetArrayLength(env, fields)) {
        return NULL; /* Java asks for a handful, always in pairs */
    }
    jstring type_refs[MAX_FIELDS] = { 0 }, field_refs[MAX_FIELDS] = { 0 };
    const char *type_chars[MAX_FIELDS] = { 0 }, *field_chars[MAX_FIELDS] = { 0 };
    jlong result[MAX_FIELDS];
    jlongArray array = NULL;
    if (get_strings(env, types, count, type_refs, type_chars) == 0
        && get_strings(env, fields, count, field_refs, field_chars) == 0) {
        lookup(env, type_chars, field_chars, count, result);
        array = (*env)->NewLongArray(env, count);
        if (array != NULL) {
            (*env)->SetLongArrayRegion(env, array, 0, count, result);
        }
    }
    release_strings(env, count, field_refs, field_chars);
    release_strings(env, count, type_refs, type_chars);
    return array;
}
