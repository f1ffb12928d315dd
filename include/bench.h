/* include/bench.h - in-kernel benchmarks, run with bench=NAME: they print
 * figures ("BENCH ..." lines, then "BENCH DONE") and never pass or fail.
 *   bench=blk   sequential block I/O on hda through the block layer, then
 *               through the buffer cache (drivers/blkdev_bench.c); boot
 *               with a scratch disk.
 */
#ifndef WALNUT_BENCH_H
#define WALNUT_BENCH_H

int bench_run(const char *name);	/* 0, or -EINVAL for an unknown name */

#endif
