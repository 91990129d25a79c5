using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.Gridding;
using ImageReducer.TestSupport;

namespace ImageReducer.Engine.Tests.Running;

/// <summary>
/// Runs the numpy port of the reference (shared/bench/lsst_numpy_baseline.py, with /usr/bin/python3)
/// on an exposure and grid written to a temporary folder, with its AddAmountMapper, and reads back
/// the reduced planes. The expected values are computed at test time, not committed.
/// </summary>
internal static class NumpyBaseline
{
    public sealed record Planes(float[] Image, int[] Mask, float[] Variance, IReadOnlyDictionary<string, int> MaskPlanes);

    private const string Script = """
        import json, os, sys
        import numpy as np
        d = sys.argv[1]
        sys.path.insert(0, sys.argv[2])
        import lsst_numpy_baseline as ref
        meta = json.load(open(os.path.join(d, "meta.json")))
        w, h, x0, y0 = meta["width"], meta["height"], meta["x0"], meta["y0"]
        exp = ref.Exposure(w, h, x0, y0, psf=ref.DoubleGaussianPsf(11, 11, 2.0, 3.7))
        exp.image[:] = np.fromfile(os.path.join(d, "image.bin"), dtype="<f4").reshape(h, w)
        exp.mask[:] = np.fromfile(os.path.join(d, "mask.bin"), dtype="<i4").reshape(h, w)
        exp.variance[:] = np.fromfile(os.path.join(d, "variance.bin"), dtype="<f4").reshape(h, w)
        b0 = [ref.Box2I.from_min_max(*b) for b in meta["cells"]]
        b1 = [ref.Box2I.from_min_max(*b) for b in meta["expanded"]]
        cfg = ref.MapReduceConfig(reduceOperation=meta["op"])
        res = ref.map_reduce(exp, ref.AddAmountMapper(amount=meta["amount"], add_nans=meta["addNans"]), config=cfg, boxes=(b0, b1))
        out = res.exposure
        out.image.astype("<f4").tofile(os.path.join(d, "out_image.bin"))
        out.mask.astype("<i4").tofile(os.path.join(d, "out_mask.bin"))
        out.variance.astype("<f4").tofile(os.path.join(d, "out_variance.bin"))
        json.dump(out.mask_planes, open(os.path.join(d, "out_planes.json"), "w"))
        """;

    public static string Python => "/usr/bin/python3";

    /// <summary>The folder holding lsst_numpy_baseline.py (<see cref="SharedBench"/>).</summary>
    public static string BaselineDirectory => SharedBench.Directory();

    public static Planes Run(Exposure input, Grid grid, string op, float amount, bool addNans)
    {
        string dir = Directory.CreateTempSubdirectory("imred-baseline-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "image.bin"), MemoryMarshal.AsBytes(input.Image.ToArray().AsSpan()).ToArray());
            File.WriteAllBytes(Path.Combine(dir, "mask.bin"), MemoryMarshal.AsBytes(input.Mask.Pixels.ToArray().AsSpan()).ToArray());
            File.WriteAllBytes(Path.Combine(dir, "variance.bin"), MemoryMarshal.AsBytes(input.Variance.ToArray().AsSpan()).ToArray());
            var meta = new
            {
                width = input.Width, height = input.Height, x0 = input.Box.MinX, y0 = input.Box.MinY, op, amount = (double)amount, addNans,
                cells = grid.Cells.Select(b => b.ToArray()).ToArray(),
                expanded = grid.ExpandedCells.Select(b => b.ToArray()).ToArray(),
            };
            File.WriteAllText(Path.Combine(dir, "meta.json"), System.Text.Json.JsonSerializer.Serialize(meta));
            File.WriteAllText(Path.Combine(dir, "run.py"), Script);
            var psi = new ProcessStartInfo(Python) { RedirectStandardError = true, RedirectStandardOutput = true };
            psi.ArgumentList.Add(Path.Combine(dir, "run.py"));
            psi.ArgumentList.Add(dir);
            psi.ArgumentList.Add(BaselineDirectory);
            using var p = Process.Start(psi)!;
            string stderr = p.StandardError.ReadToEnd();
            p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(60_000)) { p.Kill(); throw new TimeoutException("numpy baseline did not finish in 60 s"); }
            if (p.ExitCode != 0) throw new InvalidOperationException($"numpy baseline failed ({p.ExitCode}): {stderr}");
            var planes = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(Path.Combine(dir, "out_planes.json")))!;
            return new Planes(
                MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(dir, "out_image.bin"))).ToArray(),
                MemoryMarshal.Cast<byte, int>(File.ReadAllBytes(Path.Combine(dir, "out_mask.bin"))).ToArray(),
                MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(dir, "out_variance.bin"))).ToArray(),
                planes);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
