using ImageReducer.Engine.Imaging;
using ImageReducer.Engine.PointSpread;

namespace ImageReducer.Engine.Fits;

/// <summary>
/// Converts a <see cref="Psf"/> to and from the project's PSF binary table (see
/// docs/fits-layout.md): one row per PSF node in pre-order, row 0 the PSF itself, coadd components
/// pointing at their parent row.
/// </summary>
internal static class PsfTableCodec
{
    public const string ExtName = "PSF";
    public const long FormatVersion = 1;
    private const int ParamCount = 5;

    private const int ColKind = 0, ColParent = 1, ColWidth = 2, ColHeight = 3, ColParams = 4, ColBox = 5, ColWeight = 6, ColKernel = 7;

    private sealed record Node(Psf Psf, int Parent, Box Box, double Weight);

    /// <summary>The table and the extension cards (EXTNAME, PSFTYPE, PSFVERS).</summary>
    /// <exception cref="NotSupportedException">A PSF type without a file form.</exception>
    public static (FitsTable Table, FitsHeader Cards) Encode(Psf psf)
    {
        ArgumentNullException.ThrowIfNull(psf);
        var nodes = new List<Node>();
        Flatten(psf, -1, Box.Empty, 1.0, nodes);
        int maxKernel = 1;
        foreach (var n in nodes)
            if (n.Psf is KernelImagePsf k) maxKernel = Math.Max(maxKernel, checked(k.KernelBox.Width * k.KernelBox.Height));
        FitsColumn[] columns =
        [
            new("KIND", 'A', 16), new("PARENT", 'J'), new("WIDTH", 'J'), new("HEIGHT", 'J'),
            new("PARAMS", 'D', ParamCount), new("BBOX", 'J', 4), new("WEIGHT", 'D'), new("KERNEL", 'D', maxKernel),
        ];
        var t = new FitsTable(columns, nodes.Count);
        for (int r = 0; r < nodes.Count; r++)
        {
            var n = nodes[r];
            t.SetString(r, ColKind, n.Psf.Kind);
            t.SetInt64(r, ColParent, n.Parent);
            t.SetInt64(r, ColBox, n.Box.MinX, 0);
            t.SetInt64(r, ColBox, n.Box.MinY, 1);
            t.SetInt64(r, ColBox, n.Box.Width, 2);
            t.SetInt64(r, ColBox, n.Box.Height, 3);
            t.SetDouble(r, ColWeight, n.Weight);
            switch (n.Psf)
            {
                case GaussianPsf g:
                    SetSize(t, r, g.Width, g.Height);
                    t.SetDoubles(r, ColParams, [g.Sigma]);
                    break;
                case DoubleGaussianPsf d:
                    SetSize(t, r, d.Width, d.Height);
                    t.SetDoubles(r, ColParams, [d.Sigma1, d.Sigma2, d.B]);
                    break;
                case VaryingGaussianPsf v:
                    SetSize(t, r, v.Width, v.Height);
                    t.SetDoubles(r, ColParams, [v.Sigma0, v.SigmaX, v.SigmaY, v.Reference.X, v.Reference.Y]);
                    break;
                case KernelImagePsf k:
                    SetSize(t, r, k.KernelBox.Width, k.KernelBox.Height);
                    t.SetDoubles(r, ColParams, [k.AveragePosition.X, k.AveragePosition.Y]);
                    using (var kernel = k.ComputeKernelImage(k.AveragePosition))
                        t.SetDoubles(r, ColKernel, kernel.ToArray());
                    break;
                case CoaddPsf:
                    break;
            }
        }
        var cards = new FitsHeader();
        cards.Add("EXTNAME", ExtName, "ImageReducer PSF (docs/fits-layout.md)");
        cards.Add("PSFTYPE", psf.Kind, "kind of the PSF in row 1");
        cards.Add("PSFVERS", FormatVersion, "PSF table format version");
        return (t, cards);
    }

    private static void SetSize(FitsTable t, int r, int w, int h)
    {
        t.SetInt64(r, ColWidth, w);
        t.SetInt64(r, ColHeight, h);
    }

    private static void Flatten(Psf psf, int parent, Box box, double weight, List<Node> nodes)
    {
        if (psf is not (DoubleGaussianPsf or VaryingGaussianPsf or KernelImagePsf or CoaddPsf))
            throw new NotSupportedException($"PSF type {psf.GetType().Name} ('{psf.Kind}') has no FITS form; supported: gaussian, doubleGaussian, kernelImage, varyingGaussian, coadd.");
        int me = nodes.Count;
        nodes.Add(new Node(psf, parent, box, weight));
        if (psf is CoaddPsf c)
            foreach (var comp in c.Components) Flatten(comp.Psf, me, comp.Box, comp.Weight, nodes);
    }

    /// <summary>Rebuilds the PSF of a table written by <see cref="Encode"/>.</summary>
    /// <exception cref="FitsFormatException">The table is not a valid PSF table.</exception>
    public static Psf Decode(FitsTable t, FitsHdu hdu, string? file)
    {
        string[] names = ["KIND", "PARENT", "WIDTH", "HEIGHT", "PARAMS", "BBOX", "WEIGHT", "KERNEL"];
        var idx = new int[names.Length];
        for (int i = 0; i < names.Length; i++) idx[i] = t.ColumnIndex(names[i]);
        for (int i = 0; i < names.Length; i++)
            if (idx[i] < 0) throw FitsErrors.InvalidPsf(file, hdu.Index, $"the PSF table has no {names[i]} column");
        if (t.RowCount == 0) throw FitsErrors.InvalidPsf(file, hdu.Index, "the PSF table has no rows");
        try
        {
            var children = new List<int>[t.RowCount];
            for (int r = 0; r < t.RowCount; r++) children[r] = [];
            for (int r = 1; r < t.RowCount; r++)
            {
                long parent = t.GetInt64(r, idx[ColParent]);
                if (parent < 0 || parent >= r)
                    throw FitsErrors.InvalidPsf(file, hdu.Index, $"row {r + 1}: PARENT = {parent} must name an earlier row");
                children[parent].Add(r);
            }
            if (t.GetInt64(0, idx[ColParent]) != -1) throw FitsErrors.InvalidPsf(file, hdu.Index, "row 1 must have PARENT = -1");
            return Build(t, idx, children, 0, hdu, file);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or OverflowException or InvalidPsfException)
        {
            throw FitsErrors.InvalidPsf(file, hdu.Index, $"the PSF table does not describe a valid PSF: {e.Message}", e);
        }
    }

    private static Psf Build(FitsTable t, int[] idx, List<int>[] children, int r, FitsHdu hdu, string? file)
    {
        string kind = t.GetString(r, idx[ColKind]);
        int w = checked((int)t.GetInt64(r, idx[ColWidth])), h = checked((int)t.GetInt64(r, idx[ColHeight]));
        var p = t.GetDoubles(r, idx[ColParams], Math.Min(ParamCount, t.Columns[idx[ColParams]].Repeat));
        double P(int k) => k < p.Length ? p[k] : 0;
        if (kind != "coadd" && children[r].Count > 0)
            throw FitsErrors.InvalidPsf(file, hdu.Index, $"row {r + 1}: a '{kind}' PSF cannot have components");
        switch (kind)
        {
            case "gaussian": return new GaussianPsf(w, h, P(0));
            case "doubleGaussian": return new DoubleGaussianPsf(w, h, P(0), P(1), P(2));
            case "varyingGaussian": return new VaryingGaussianPsf(w, h, P(0), P(1), P(2), new Point2D(P(3), P(4)));
            case "kernelImage":
            {
                var col = t.Columns[idx[ColKernel]];
                if (w < 1 || h < 1 || (long)w * h > col.Repeat)
                    throw FitsErrors.InvalidPsf(file, hdu.Index, $"row {r + 1}: a {w} x {h} kernel does not fit the KERNEL column ({col.Repeat} values)");
                var pixels = t.GetDoubles(r, idx[ColKernel], w * h);
                using var kernel = Image<double>.Wrap(pixels, new Box(0, 0, w, h));
                return new KernelImagePsf(kernel, new Point2D(P(0), P(1)), alreadyNormalised: true);
            }
            case "coadd":
            {
                if (children[r].Count == 0) throw FitsErrors.InvalidPsf(file, hdu.Index, $"row {r + 1}: a coadd PSF needs at least one component");
                var comps = new List<CoaddPsfComponent>();
                foreach (int c in children[r])
                {
                    var box = new Box(checked((int)t.GetInt64(c, idx[ColBox], 0)), checked((int)t.GetInt64(c, idx[ColBox], 1)),
                        checked((int)t.GetInt64(c, idx[ColBox], 2)), checked((int)t.GetInt64(c, idx[ColBox], 3)));
                    comps.Add(new CoaddPsfComponent(Build(t, idx, children, c, hdu, file), box, t.GetDouble(c, idx[ColWeight])));
                }
                return new CoaddPsf(comps);
            }
            default:
                throw FitsErrors.InvalidPsf(file, hdu.Index, $"row {r + 1}: unknown PSF kind '{kind}'");
        }
    }
}
