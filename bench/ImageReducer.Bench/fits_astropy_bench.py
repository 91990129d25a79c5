"""astropy baseline for the `fits` benchmark suite.

usage: /usr/bin/python3 fits_astropy_bench.py FILE OUTFILE RUNS

Reads every HDU of FILE into memory (memmap=False, data touched), once without and once with
checksum verification, and writes the HDU list back to OUTFILE with DATASUM/CHECKSUM (as
ImageReducer does). Warmed (one untimed run each), best of RUNS. Prints one JSON object:
seconds for each operation and tracemalloc's peak for a read.
"""
import json
import sys
import time
import tracemalloc

import numpy as np
from astropy.io import fits


def read(path, checksum):
    with fits.open(path, memmap=False, checksum=checksum) as hl:
        hl.readall()
        arrays = [h.data for h in hl]
        total = sum(int(np.asarray(a).nbytes) for a in arrays if a is not None and hasattr(a, 'nbytes'))
        return hl, total


def best(fn, runs):
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main():
    path, out, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    read_s = best(lambda: read(path, False), runs)
    read_ck_s = best(lambda: read(path, True), runs)

    with fits.open(path, memmap=False) as hl:
        hl.readall()
        hdus = fits.HDUList([h.copy() for h in hl])
    write_s = best(lambda: hdus.writeto(out, overwrite=True, checksum=True), runs)

    tracemalloc.start()
    read(path, False)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(json.dumps({'read_s': read_s, 'read_checksum_s': read_ck_s, 'write_s': write_s, 'read_peak_bytes': peak}))


if __name__ == '__main__':
    main()
