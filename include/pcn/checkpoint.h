/*
 * pcn/checkpoint.h - saving and restoring a plan's parameters.
 *
 * A checkpoint holds everything needed to continue training a model: the
 * model's name, the epoch it was taken after, every node (name, size) and
 * every parameter buffer (W of each edge, b of each node) with its shape
 * and float32 data, the optimizer's moments and step count, and the state
 * of the stateful node initializers (class means of `average`, the
 * Hopfield layers of `memory`, the saved h^(T) of `null`). It is checked
 * on load against the plan it is loaded into, so a checkpoint of another
 * model, or of the same model with a different width, is refused with a
 * message naming the first difference instead of being reinterpreted.
 *
 *     char err[512];
 *     if (pcn_checkpoint_save(plan, "m.ckpt", "classifier", epoch, err,
 *                             sizeof err) != 0) report(err);
 *     ...
 *     int epoch;
 *     if (pcn_checkpoint_load(plan, "m.ckpt", "classifier", &epoch, err,
 *                             sizeof err) != 0) report(err);
 *
 * File format (all integers little-endian, floats IEEE-754 binary32 LE):
 *
 *     "PCNCKPT\0"            8 bytes magic
 *     u32 version            PCN_CKPT_VERSION
 *     u64 payload_bytes      size of what follows, up to the CRC
 *     payload:
 *       str model            (str = u32 length + bytes, no NUL)
 *       u32 epoch            epochs completed when saved
 *       u64 learn_steps      optimizer step count (Adam bias correction)
 *       u32 nnodes, then per node: str name, u32 size
 *       u32 nparams, then per parameter:
 *         u8 kind (0 = W, 1 = b), str name (edge "src->dst" or node name),
 *         u32 rows, u32 cols, rows*cols f32 data,
 *         u8 nmoments (0 or 2), then nmoments * rows*cols f32
 *       u32 nsections        (version >= 2; version 1 ends before this)
 *         then per section: str initializer name ("average", "memory",
 *         "null"), then records until a u8 0:
 *           u8 type (1 = f32, 2 = i64), str name, u32 rows, u32 cols,
 *           rows*cols values (f32, or i64 as two u32 words, low first)
 *     u32 crc32              zlib crc32 of the payload bytes
 *
 * Initializer state. Each initializer with save_state/load_state hooks
 * (pcn/exec.h) writes one section of named records: what a resumed run
 * needs to continue bit for bit like an uninterrupted one. On load every
 * record the initializer asks for must be there with the same type and
 * shape ("checkpoint 'f' has memory state 'M.Q' of 6x4, the model has
 * 6x8"), and every record of its section must be asked for. A section of
 * an initializer the plan does not use is skipped; an initializer without
 * a section in the file (version 1, or saved before the model used it)
 * keeps its fresh state, as all of them did before version 2.
 *
 * Saving writes FILE.tmp, flushes and fsyncs it, then renames it over
 * FILE, so a crash leaves either the old checkpoint or the new one, never
 * a torn file. Loading reads the whole file and checks magic, version,
 * length, CRC, model name, every node and parameter and every
 * initializer's state (through its checking pass) before it touches the
 * plan: a refused load leaves the plan and its initializers unchanged.
 * Saving always writes PCN_CKPT_VERSION; loading reads every version from
 * PCN_CKPT_VERSION_MIN on.
 *
 * Both functions return 0 on success and -1 with a one-line message in err
 * (which names the file). Nothing here prints or exits.
 */
#ifndef PCN_CHECKPOINT_H
#define PCN_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "exec.h"

#define PCN_CKPT_MAGIC "PCNCKPT"  /* 7 characters + the NUL = 8 bytes */
#define PCN_CKPT_VERSION 2u     /* 2: initializer state sections */
#define PCN_CKPT_VERSION_MIN 1u /* oldest version pcn_checkpoint_load reads */

/* Largest epoch and step counts a checkpoint may hold: loading refuses
 * more as corrupt, so a resumed run can keep counting (epoch + epochs,
 * steps + 1) without overflowing. */
#define PCN_CKPT_MAX_EPOCH (INT32_MAX - 1000000) /* > PCN_MAX_EPOCHS */
#define PCN_CKPT_MAX_STEPS ((int64_t)1 << 62)

/* Writes the plan's parameters (and optimizer state) to path. */
int pcn_checkpoint_save(PcnPlan *p, const char *path, const char *model,
                        int epoch, char *err, size_t errlen);

/* Reads path into the plan after checking it matches; *epoch (may be NULL)
 * receives the epoch stored in the file. */
int pcn_checkpoint_load(PcnPlan *p, const char *path, const char *model,
                        int *epoch, char *err, size_t errlen);

#endif
