#!/usr/bin/python3
"""numpy ports of LSST ip_diffim's per-cell image-differencing mappers, the reference for ImageReducer's
``decorrelateAL`` and ``zogy`` mappers.

The maths is ported from lsst/ip_diffim (read, not copied): ``imageDecorrelation.py``
(``DecorrelateALKernelTask.run`` / ``DecorrelateALKernelMapper``: computeCommonShape, padCenterOriginArray,
computeDiffimCorrection, computeCorrectedImage, estimateVariancePlane, calculateVariancePlane,
computeCorrectedDiffimPsf) and ``zogy.py`` as it was when it still had ``ZogyMapper`` (commit 7ddfa62e: setup,
_padPsfToSize, computePrereqs, computeDiffimFourierSpace, computeDiffimPsf, computeScorrFourierSpace).
The map-reduce around the mappers (sub-exposure views, ``average``/``copy``/``sum`` reduce) is the shared
numpy baseline ``lsst_numpy_baseline.py`` (``ImageMapReduceTask``); the grid is given (the engine's own, from the
manifest), so only the mappers are compared.

Where a port is not bit-faithful to numpy-in-LSST, it says so:
* the sigma-clipped variance mean is the engine's documented emulation of afw's MEANCLIP (median and
  0.741·IQR start, 3σ, 3 iterations, kept set = a sorted range, float64 sums) — afw's own is C++;
* non-finite image pixels are replaced by their mean computed in float64 (numpy's nanmean of a float32 array
  accumulates in float32).

Usage:
  /usr/bin/python3 diffim_numpy.py MANIFEST.json OUTPUT.fits [--repeat N]
prints one JSON line {"map_s": …, "reduce_s": …, "cells": …} (best of N runs, wall clock).
The manifest (written by the C# tests and the bench) names the baseline folder, the mapper and its options,
the main and auxiliary FITS files (LSST layout), the grid, and the PSF / kernel images each cell asks for.
"""
import json
import sys
import time

import numpy as np
from astropy.io import fits

MIN_KERNEL = 1.0e-4
IQR_TO_SIGMA = 0.741
DEFAULT_IGNORE = ("INTRP", "EDGE", "DETECTED", "SAT", "CR", "BAD", "NO_DATA", "DETECTED_NEGATIVE")


# ---------------------------------------------------------------------------------------------------------------
# Shared pieces
# ---------------------------------------------------------------------------------------------------------------

def clipped_mean(values, mask, ignored_bits, n_sigma=3.0, n_iter=3):
    """The engine's MEANCLIP: finite, unmasked pixels; start at the median and 0.741·IQR; keep |v − c| ≤ nσ."""
    v = values.astype(np.float32).ravel()
    ok = np.isfinite(v)
    if ignored_bits:
        ok &= (mask.ravel() & ignored_bits) == 0
    v = np.sort(v[ok])
    n = v.size
    if n == 0:
        return float("nan")
    mean = float(np.sum(v.astype(np.float64))) / n
    centre = _quantile(v, 0.5)
    sigma = IQR_TO_SIGMA * (_quantile(v, 0.75) - _quantile(v, 0.25))
    lo, hi = 0, n
    clipped = mean
    for it in range(n_iter):
        new_lo = int(np.searchsorted(v, centre - n_sigma * sigma, side="left"))
        new_hi = int(np.searchsorted(v, centre + n_sigma * sigma, side="right"))
        if new_hi <= new_lo:
            break
        if it > 0 and new_lo == lo and new_hi == hi:
            break
        lo, hi = new_lo, new_hi
        kept = v[lo:hi].astype(np.float64)
        clipped = float(np.sum(kept)) / kept.size
        sd = float(np.sqrt(np.sum((kept - clipped) ** 2) / (kept.size - 1))) if kept.size > 1 else float("nan")
        centre, sigma = clipped, (0.0 if np.isnan(sd) else sd)
    return clipped


def _quantile(sorted_values, p):
    position = p * (sorted_values.size - 1)
    i = int(np.floor(position))
    f = position - i
    if i + 1 < sorted_values.size:
        return float(sorted_values[i]) + f * (float(sorted_values[i + 1]) - float(sorted_values[i]))
    return float(sorted_values[i])


def ignored_bits(exposure, names):
    bits = 0
    for name in names:
        if name in exposure.mask_planes:
            bits |= 1 << exposure.mask_planes[name]
    return bits


def variance_mean(exposure, names):
    return clipped_mean(exposure.variance, exposure.mask, ignored_bits(exposure, names))


def common_shape(*shapes):
    """computeCommonShape: per axis the two largest sizes summed minus one (the size itself if alone), even."""
    s = np.array(shapes, dtype=int)
    if len(shapes) > 2:
        s.sort(axis=0)
        s = s[-2:]
    common = np.sum(s, axis=0) - 1 if len(shapes) > 1 else s[0]
    common[common % 2 != 0] += 1
    return tuple(int(x) for x in common)


def pad_center_origin(a, new_shape, inverse=False):
    """padCenterOriginArray: forward pads with element (h//2, w//2) at the origin; inverse crops back."""
    if not inverse:
        first = [x // 2 for x in a.shape]
        second = [x - y for x, y in zip(a.shape, first)]
    else:
        second = [x // 2 for x in new_shape]
        first = [x - y for x, y in zip(new_shape, second)]
    r = np.zeros_like(a, shape=new_shape)
    r[-first[0]:, -first[1]:] = a[:first[0], :first[1]]
    r[:second[0], -first[1]:] = a[-second[0]:, :first[1]]
    r[:second[0], :second[1]] = a[-second[0]:, -second[1]:]
    r[-first[0]:, :second[1]] = a[:first[0], -second[1]:]
    return r


def fill_non_finite(a):
    """Non-finite values → the mean of the finite ones (in float64); returns (filled float64 copy, nan, inf masks)."""
    a = np.asarray(a, dtype=np.float64)
    nan, inf = np.isnan(a), np.isinf(a)
    good = ~(nan | inf)
    out = a.copy()
    out[~good] = a[good].mean() if good.any() else np.nan
    return out, nan, inf


class CellPsf:
    """A PSF given by the kernel images the engine evaluated for each cell, looked up by position.

    An unknown position is an error: the port and the engine must ask at the same points (the centring rules)."""

    def __init__(self, entries):
        # {"any": kernel}: one kernel wherever it is asked for (a PSF that does not vary, as the bench uses).
        self.any = np.array(entries["any"], dtype=np.float64) if isinstance(entries, dict) else None
        self.kernels = {} if self.any is not None else \
            {(round(e["x"], 6), round(e["y"], 6)): np.array(e["kernel"], dtype=np.float64) for e in entries}

    def compute_kernel_image(self, x, y):
        if self.any is not None:
            return self.any.copy()
        key = (round(x, 6), round(y, 6))
        if key not in self.kernels:
            raise KeyError("no kernel at (%r, %r); known: %r" % (x, y, sorted(self.kernels)[:4]))
        return self.kernels[key].copy()


# ---------------------------------------------------------------------------------------------------------------
# A&L decorrelation (imageDecorrelation.py)
# ---------------------------------------------------------------------------------------------------------------

class DecorrelateALMapper:
    """DecorrelateALKernelMapper.run → DecorrelateALKernelTask.run on the expanded cell, cut to the cell."""

    def __init__(self, ignore_mask_planes=DEFAULT_IGNORE, complete_var_plane_propagation=False, template_matched=True):
        self.ignore = tuple(ignore_mask_planes)
        self.complete = complete_var_plane_propagation
        self.template_matched = template_matched

    def run(self, subExposure, expandedSubExposure, fullBBox, template, science, psfMatchingKernel, sciencePsf, templatePsf, **kwargs):
        sub2 = science.subset(expandedSubExposure.bbox)
        sub1 = template.subset(expandedSubExposure.bbox)
        corrected = self.decorrelate(sub2, sub1, expandedSubExposure, psfMatchingKernel, sciencePsf, templatePsf)
        from lsst_numpy_baseline import Struct
        return Struct(subExposure=corrected.subset(subExposure.bbox), psf=corrected.psf_array)

    def decorrelate(self, science, template, subtracted, kernel, science_psf, template_psf):
        bbox = subtracted.bbox
        xcen = (bbox.beginX + bbox.endX) / 2.0
        ycen = (bbox.beginY + bbox.endY) / 2.0
        kimg = kernel.compute_kernel_image(xcen, ycen)
        svar = variance_mean(science, self.ignore)
        tvar = variance_mean(template, self.ignore)
        if np.isnan(svar) or np.isnan(tvar):
            if np.all(np.isnan(science.image)) or np.all(np.isnan(template.image)):
                out = subtracted.clone()
                out.psf_array = None
                return out
        if self.template_matched:
            var_mean, target_var_mean = svar, tvar
            variance, target_variance = science.variance, template.variance
            psf = science_psf.compute_kernel_image(xcen, ycen)
        else:
            var_mean, target_var_mean = tvar, svar
            variance, target_variance = template.variance, science.variance
            psf = template_psf.compute_kernel_image(xcen, ycen)
        shape = common_shape(kimg.shape, psf.shape, subtracted.image.shape)

        # computeDiffimCorrection
        k_sum = np.sum(kimg)
        kft = np.fft.fft2(pad_center_origin(kimg, shape))
        kft_abs_sq = np.real(np.conj(kft) * kft)
        corrft = np.sqrt((var_mean + target_var_mean * k_sum * k_sum) / (var_mean + target_var_mean * kft_abs_sq))
        cnft, crft = corrft, kft * corrft

        # computeCorrectedImage
        img, nan, inf = fill_non_finite(subtracted.image)
        img = np.fft.ifft2(np.fft.fft2(pad_center_origin(img, shape)) * corrft).real
        img = pad_center_origin(img, subtracted.image.shape, inverse=True)
        img[nan] = np.nan
        img[inf] = np.inf

        if self.complete:
            var = self.calculate_variance_plane(variance, target_variance, var_mean, target_var_mean, cnft, crft, shape)
        else:
            w1 = np.sum(np.real(np.conj(cnft) * cnft)) / cnft.size
            w2 = np.sum(np.real(np.conj(crft) * crft)) / crft.size
            var = variance.astype(np.float64) * w1 + target_variance.astype(np.float64) * w2
        if not self.template_matched:
            var = var / (k_sum * k_sum)

        out = subtracted.clone()
        out.image[...] = img
        out.variance[...] = var
        # computeCorrectedDiffimPsf
        p = np.fft.ifft2(np.fft.fft2(pad_center_origin(psf, shape)) * corrft).real
        p = pad_center_origin(p, psf.shape, inverse=True)
        out.psf_array = p / p.sum() if np.isfinite(p.sum()) and p.sum() != 0 else psf / psf.sum()
        return out

    @staticmethod
    def calculate_variance_plane(v1, v2, mean1, mean2, c1ft, c2ft, shape):
        total = None
        for v, mean, cft in ((v1, mean1, c1ft), (v2, mean2, c2ft)):
            d = np.real(np.fft.ifft2(cft))
            csq = np.fft.fft2(d * d)
            v = np.asarray(v, dtype=np.float64).copy()
            nan, inf = np.isnan(v), np.isinf(v)
            v[nan | inf] = mean
            r = np.real(np.fft.ifft2(np.fft.fft2(pad_center_origin(v, shape)) * csq))
            r = pad_center_origin(r, v.shape, inverse=True)
            r[nan] = np.nan
            r[inf] = np.inf
            total = r if total is None else total + r
        return total


# ---------------------------------------------------------------------------------------------------------------
# ZOGY (zogy.py at 7ddfa62e, Fourier space)
# ---------------------------------------------------------------------------------------------------------------

class ZogyMapper:
    def __init__(self, do_scorr=False, template_flux_scaling=1.0, science_flux_scaling=1.0, do_filter_psfs=True,
                 ignore_mask_planes=DEFAULT_IGNORE):
        self.do_scorr = do_scorr
        self.fr, self.fn = template_flux_scaling, science_flux_scaling
        self.do_filter = do_filter_psfs
        self.ignore = tuple(ignore_mask_planes)

    @staticmethod
    def _square(psf):
        if psf.shape[0] < psf.shape[1]:
            psf = np.pad(psf, ((0, psf.shape[1] - psf.shape[0]), (0, 0)), mode="constant", constant_values=0.)
        elif psf.shape[0] > psf.shape[1]:
            psf = np.pad(psf, ((0, 0), (0, psf.shape[0] - psf.shape[1])), mode="constant", constant_values=0.)
        return psf

    @staticmethod
    def _filter(psf):
        if psf.shape[0] == 41:
            psf = psf.copy()
            psf[psf < 0] = 0
            psf[0:10, :] = psf[:, 0:10] = psf[31:41, :] = psf[:, 31:41] = 0
            psf /= psf.sum()
        return psf

    @staticmethod
    def _pad_to_size(psf, size):
        out = np.zeros(size)
        offset = [size[0] // 2 - psf.shape[0] // 2, size[1] // 2 - psf.shape[1] // 2]
        out[offset[0]:psf.shape[0] + offset[0], offset[1]:psf.shape[1] + offset[1]] = psf
        return out

    def run(self, subExposure, expandedSubExposure, fullBBox, template, sciencePsf, templatePsf, **kwargs):
        from lsst_numpy_baseline import Struct
        bbox = subExposure.bbox
        cx, cy = float((bbox.beginX + bbox.endX) // 2), float((bbox.beginY + bbox.endY) // 2)
        sub2 = expandedSubExposure
        sub1 = template.subset(expandedSubExposure.bbox)
        psf2 = self._square(sciencePsf.compute_kernel_image(cx, cy))
        psf1 = self._square(templatePsf.compute_kernel_image(cx, cy))
        if sub1.width < psf1.shape[0] or sub1.height < psf1.shape[1]:
            return Struct(subExposure=subExposure, psf=None)
        if self.do_filter:
            psf1, psf2 = self._filter(psf1), self._filter(psf2)
        else:
            e = expandedSubExposure.bbox
            ex, ey = (e.beginX + e.endX) / 2., (e.beginY + e.endY) / 2.
            psf1, psf2 = templatePsf.compute_kernel_image(ex, ey), sciencePsf.compute_kernel_image(ex, ey)
        psf1, psf2 = self._setup_psfs(psf1, psf2)
        sig1 = self._sigma(sub1)
        sig2 = self._sigma(sub2)
        out = sub2.clone()
        im1, im2 = sub1.image.astype(np.float64), sub2.image.astype(np.float64)
        v1, v2 = sub1.variance.astype(np.float64), sub2.variance.astype(np.float64)
        if not self.do_scorr:
            d, d_var = self._difference(psf1, psf2, sig1, sig2, im1, im2, v1, v2)
        else:
            d, d_var = self._score(psf1, psf2, sig1, sig2, im1, im2, v1, v2)
        out.image[...] = d
        out.variance[...] = d_var
        out.mask |= _translate(sub1.mask, sub1.mask_planes, out.mask_planes)
        pd = self._diffim_psf(psf1, psf2, sig1, sig2)
        return Struct(subExposure=out.subset(subExposure.bbox), psf=pd / pd.sum())

    def _sigma(self, exposure):
        s = np.sqrt(variance_mean(exposure, self.ignore))
        return 1.0 if np.isnan(s) or s == 0 else s

    @staticmethod
    def _setup_psfs(psf1, psf2):
        psf1, psf2 = psf1.copy(), psf2.copy()
        s1, s2 = psf1.shape, psf2.shape
        if s1[0] < s2[0]:
            psf1 = np.pad(psf1, ((0, s2[0] - s1[0]), (0, 0)), mode="constant", constant_values=0.)
        elif s2[0] < s1[0]:
            psf2 = np.pad(psf2, ((0, s1[0] - s2[0]), (0, 0)), mode="constant", constant_values=0.)
        if s1[1] < s2[1]:
            psf1 = np.pad(psf1, ((0, 0), (0, s2[1] - s1[1])), mode="constant", constant_values=0.)
        elif s2[1] < s1[1]:
            psf2 = np.pad(psf2, ((0, 0), (0, s1[1] - s2[1])), mode="constant", constant_values=0.)
        m1 = np.unravel_index(np.argmax(psf1), psf1.shape)
        m2 = np.unravel_index(np.argmax(psf2), psf2.shape)
        while m1[0] != m2[0] or m1[1] != m2[1]:
            if m1[0] > m2[0]:
                psf2[1:, :] = psf2[:-1, :]
            elif m1[0] < m2[0]:
                psf1[1:, :] = psf1[:-1, :]
            if m1[1] > m2[1]:
                psf2[:, 1:] = psf2[:, :-1]
            elif m1[1] < m2[1]:
                psf1[:, 1:] = psf1[:, :-1]
            m1 = np.unravel_index(np.argmax(psf1), psf1.shape)
            m2 = np.unravel_index(np.argmax(psf2), psf2.shape)
        psf1[psf1 < MIN_KERNEL] = MIN_KERNEL
        psf2[psf2 < MIN_KERNEL] = MIN_KERNEL
        return psf1, psf2

    def _prereqs(self, pr, pn, sig1, sig2):
        # computePrereqs: the (padded) PSFs are floored in place before their transforms — the whole frame.
        pr[np.abs(pr) <= MIN_KERNEL] = MIN_KERNEL
        pn[np.abs(pn) <= MIN_KERNEL] = MIN_KERNEL
        sig_r, sig_n = sig1, sig2
        pr_hat, pn_hat = np.fft.fft2(pr), np.fft.fft2(pn)
        denom = np.sqrt((sig_n ** 2 * self.fr ** 2 * (np.conj(pr_hat) * pr_hat))
                        + (sig_r ** 2 * self.fn ** 2 * (np.conj(pn_hat) * pn_hat)))
        fd = self.fr * self.fn / np.sqrt(sig_n ** 2 * self.fr ** 2 + sig_r ** 2 * self.fn ** 2)
        return pr_hat, pn_hat, denom, fd

    def _difference(self, psf1, psf2, sig1, sig2, im1, im2, v1, v2):
        shape = im1.shape
        pr_hat, pn_hat, denom, fd = self._prereqs(self._pad_to_size(psf1, shape), self._pad_to_size(psf2, shape), sig1, sig2)
        kr_hat = self.fr * pr_hat / denom
        kn_hat = self.fn * pn_hat / denom

        def process(a1, a2, add):
            a1, _, _ = fill_non_finite(a1)
            a2, _, _ = fill_non_finite(a2)
            d_hat = kr_hat * np.fft.fft2(a2)
            d_hat_r = kn_hat * np.fft.fft2(a1)
            d_hat = d_hat + d_hat_r if add else d_hat - d_hat_r
            return np.fft.ifftshift(np.fft.ifft2(d_hat).real) / fd

        return process(im1, im2, False), process(v1, v2, True)

    def _score(self, psf1, psf2, sig1, sig2, im1, im2, v1, v2):
        shape = im1.shape
        im1, _, _ = fill_non_finite(im1)
        im2, _, _ = fill_non_finite(im2)
        v1, _, _ = fill_non_finite(v1)
        v2, _, _ = fill_non_finite(v2)
        pr_hat, pn_hat, denom, fd = self._prereqs(self._pad_to_size(psf1, shape), self._pad_to_size(psf2, shape), sig1, sig2)
        r_hat, n_hat = np.fft.fft2(im1), np.fft.fft2(im2)
        pn_hat2 = np.conj(pn_hat) * pn_hat
        kr_hat = self.fr * self.fn ** 2. * np.conj(pr_hat) * pn_hat2 / denom ** 2.
        pr_hat2 = np.conj(pr_hat) * pr_hat
        kn_hat = self.fn * self.fr ** 2. * np.conj(pn_hat) * pr_hat2 / denom ** 2.
        kr_hat2 = np.fft.fft2(np.fft.ifft2(kr_hat) ** 2.)
        kn_hat2 = np.fft.fft2(np.fft.ifft2(kn_hat) ** 2.)
        var_hat = kr_hat2 * np.fft.fft2(v1) + kn_hat2 * np.fft.fft2(v2)
        s_var = np.sqrt(np.fft.ifftshift(np.fft.ifft2(var_hat))) * fd
        s = np.fft.ifftshift(np.fft.ifft2(kn_hat * n_hat - kr_hat * r_hat)) * fd
        return s.real, s_var.real

    def _diffim_psf(self, psf1, psf2, sig1, sig2):
        pr_hat, pn_hat, denom, fd = self._prereqs(psf1.copy(), psf2.copy(), sig1, sig2)
        pd_hat = self.fr * self.fn * pr_hat * pn_hat / (fd * denom)
        return np.fft.ifftshift(np.fft.ifft2(pd_hat)).real


def _translate(mask, source_planes, target_planes):
    out = np.zeros_like(mask)
    for name, bit in source_planes.items():
        if name in target_planes:
            out |= ((mask >> bit) & 1).astype(mask.dtype) << target_planes[name]
    return out


# ---------------------------------------------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------------------------------------------

class _PsfStandIn:
    """What the baseline's reduce needs of a result's PSF to build its CoaddPsf (the PSFs compared are the mappers' own)."""

    def get_average_position(self):
        return (0.0, 0.0)


def read_exposure(path, ref):
    with fits.open(path) as hdus:
        image = hdus["IMAGE"]
        h = image.header
        x0 = int(round(h.get("CRVAL1A", -h.get("LTV1", 0))))
        y0 = int(round(h.get("CRVAL2A", -h.get("LTV2", 0))))
        mask_header = hdus["MASK"].header
        planes = {k[3:]: int(mask_header[k]) for k in mask_header if k.startswith("MP_")}
        e = ref.Exposure(image.data.shape[1], image.data.shape[0], x0, y0, psf=_PsfStandIn(), mask_planes=planes or None)
        e.image[...] = image.data.astype(np.float32)
        e.mask[...] = hdus["MASK"].data.astype(np.int32)
        e.variance[...] = hdus["VARIANCE"].data.astype(np.float32)
    return e


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    with open(argv[1]) as f:
        manifest = json.load(f)
    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 1
    sys.path.insert(0, manifest["baselineDir"])
    import lsst_numpy_baseline as ref

    main_exp = read_exposure(manifest["main"], ref)
    aux = {name: read_exposure(path, ref) for name, path in manifest.get("aux", {}).items()}
    psfs = {name: CellPsf(entries) for name, entries in manifest.get("kernels", {}).items()}
    o = manifest.get("options", {})
    if manifest["mapper"] == "decorrelateAL":
        mapper = DecorrelateALMapper(o.get("ignoreMaskPlanes", DEFAULT_IGNORE), o.get("completeVarPlanePropagation", False),
                                     o.get("templateMatched", True))
        kwargs = dict(template=aux["template"], science=aux["science"], psfMatchingKernel=psfs["psfMatchingKernel"],
                      sciencePsf=psfs.get("sciencePsf"), templatePsf=psfs.get("templatePsf"))
    elif manifest["mapper"] == "zogy":
        mapper = ZogyMapper(o.get("doScorr", False), o.get("templateFluxScaling", 1.0), o.get("scienceFluxScaling", 1.0),
                            o.get("doFilterPsfs", True), o.get("ignoreMaskPlanes", DEFAULT_IGNORE))
        kwargs = dict(template=aux["template"], sciencePsf=psfs["sciencePsf"], templatePsf=psfs["templatePsf"])
    else:
        sys.exit("unknown mapper %r" % manifest["mapper"])

    boxes0 = [ref.Box2I.from_min_max(*b) for b in manifest["cells"]]
    boxes1 = [ref.Box2I.from_min_max(*b) for b in manifest["expanded"]]
    config = ref.MapReduceConfig(reduceOperation=manifest.get("reduceOperation", "average"))
    best_map = best_reduce = float("inf")
    for _ in range(max(1, repeat)):
        task = ref.ImageMapReduceTask(config, mapper)
        task.boxes0, task.boxes1 = boxes0, boxes1
        t0 = time.perf_counter()
        results = task.run_mapper(main_exp, **kwargs)
        t1 = time.perf_counter()
        reduced = task.reduce(results, main_exp)
        t2 = time.perf_counter()
        best_map, best_reduce = min(best_map, t1 - t0), min(best_reduce, t2 - t1)

    hdus = [fits.PrimaryHDU(),
            fits.ImageHDU(reduced.exposure.image.astype(np.float32), name="IMAGE"),
            fits.ImageHDU(reduced.exposure.variance.astype(np.float32), name="VARIANCE"),
            fits.ImageHDU(reduced.exposure.mask.astype(np.int32), name="MASK")]
    psf_list = [r.psf for r in results if getattr(r, "psf", None) is not None]
    if psf_list and all(p.shape == psf_list[0].shape for p in psf_list) and len(psf_list) == len(results):
        # One 2-D HDU: the cells' PSF images stacked vertically (cell i is rows i·h … i·h + h − 1).
        hdus.append(fits.ImageHDU(np.vstack(psf_list).astype(np.float64), name="PSFS"))
    fits.HDUList(hdus).writeto(argv[2], overwrite=True)
    print(json.dumps({"map_s": round(best_map, 4), "reduce_s": round(best_reduce, 4), "cells": len(boxes0)}))


if __name__ == "__main__":
    main(sys.argv)
