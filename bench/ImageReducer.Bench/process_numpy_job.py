"""numpy + astropy side of the `process` benchmark suite: the job `imred run` does, as a script.

usage: /usr/bin/python3 process_numpy_job.py [--sha256] BASELINE_DIR IN OUT CELL STEP BORDER AMOUNT [WARM]

Reads the IMAGE, MASK and VARIANCE planes of IN (an LSST-layout exposure) with astropy's defaults
(no checksum verification), converts them to native byte order, runs the numpy port of the
reference (BASELINE_DIR/lsst_numpy_baseline.py): AddAmountMapper(AMOUNT) over the grid of
CELL/STEP/BORDER pixels (adjustGridOption 'none', no FWHM scaling), reduced with 'average', and
writes IMAGE/MASK/VARIANCE to OUT with DATASUM/CHECKSUM, fsync'ed, through a temporary file renamed
into place. No metadata file, no PSF HDU (imred writes both). With --sha256 the script also takes the
SHA-256 of the input and of the written output (hashlib, 1 MiB reads), as imred's run metadata records
them (sha256_s, inside total_s): without it imred does that much more work than the script.

The grid is generated and timed on its own (grid_s), so map_s is the mappers alone, as imred's
map_s is. With WARM > 0 the map + reduce is repeated WARM more times in this process and the
median of those is printed as warm_map_s / warm_reduce_s (the numpy side's warm figure).
Prints one JSON object on stdout; the process's own start (interpreter, imports) is outside every
phase but inside the whole-process wall time the suite measures.
"""
import hashlib
import json
import os
import statistics
import sys
import time

import numpy as np
from astropy.io import fits


def read(path, ref):
    with fits.open(path, memmap=False) as hl:
        image = np.ascontiguousarray(hl['IMAGE'].data, dtype=np.float32)
        mask = np.ascontiguousarray(hl['MASK'].data, dtype=np.int32)
        variance = np.ascontiguousarray(hl['VARIANCE'].data, dtype=np.float32)
        planes = {k[3:]: int(v) for k, v in hl['MASK'].header.items() if k.startswith('MP_')}
    h, w = image.shape
    return ref.Exposure(w, h, psf=ref.DoubleGaussianPsf(11, 11, 2.0, 3.7),
                        mask_planes=planes or None, _arrays=(image, variance, mask))


def write(path, exposure):
    hdus = fits.HDUList([fits.PrimaryHDU(),
                         fits.ImageHDU(exposure.image, name='IMAGE'),
                         fits.ImageHDU(exposure.mask, name='MASK'),
                         fits.ImageHDU(exposure.variance, name='VARIANCE')])
    tmp = path + '.tmp'
    with open(tmp, 'wb') as f:
        hdus.writeto(f, checksum=True)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, 'rb', buffering=0) as f:
        buf = bytearray(1 << 20)
        view = memoryview(buf)
        while True:
            n = f.readinto(buf)
            if not n:
                break
            h.update(view[:n])
    return h.hexdigest()


def main():
    hashing = '--sha256' in sys.argv
    if hashing:
        sys.argv.remove('--sha256')
    if len(sys.argv) < 8:
        sys.exit(__doc__)
    sys.path.insert(0, sys.argv[1])
    import lsst_numpy_baseline as ref
    inp, out = sys.argv[2], sys.argv[3]
    cell, step, border = (int(a) for a in sys.argv[4:7])
    amount = float(sys.argv[7])
    warm = int(sys.argv[8]) if len(sys.argv) > 8 else 0
    config = ref.MapReduceConfig(cellSizeX=cell, cellSizeY=cell, gridStepX=step, gridStepY=step,
                                 borderSizeX=border, borderSizeY=border, adjustGridOption='none',
                                 scaleByFwhm=False, reduceOperation='average')

    t0 = time.perf_counter()
    exposure = read(inp, ref)
    t1 = time.perf_counter()
    task = ref.ImageMapReduceTask(config, ref.AddAmountMapper(amount=amount))
    task.generate_grid(exposure)
    t2 = time.perf_counter()
    results = task.run_mapper(exposure)
    t3 = time.perf_counter()
    reduced = task.reduce(results, exposure).exposure
    t4 = time.perf_counter()
    del results
    write(out, reduced)
    t5 = time.perf_counter()
    doc = {'read_s': t1 - t0, 'grid_s': t2 - t1, 'map_s': t3 - t2, 'reduce_s': t4 - t3,
           'write_s': t5 - t4, 'cells': len(task.boxes0)}
    if hashing:
        doc['input_sha256'] = sha256_of(inp)
        doc['output_sha256'] = sha256_of(out)
        t6 = time.perf_counter()
        doc['sha256_s'] = t6 - t5
        t5 = t6
    doc['total_s'] = t5 - t0
    if warm > 0:
        maps, reduces = [], []
        for _ in range(warm):
            del reduced
            a = time.perf_counter()
            results = task.run_mapper(exposure)
            b = time.perf_counter()
            reduced = task.reduce(results, exposure).exposure
            c = time.perf_counter()
            del results
            maps.append(b - a)
            reduces.append(c - b)
        doc['warm_map_s'] = statistics.median(maps)
        doc['warm_reduce_s'] = statistics.median(reduces)
    print(json.dumps(doc))


if __name__ == '__main__':
    main()
