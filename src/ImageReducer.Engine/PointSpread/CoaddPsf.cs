using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.PointSpread;

/// <summary>One input of a <see cref="CoaddPsf"/>: a PSF valid on a box, with a weight.</summary>
public sealed record CoaddPsfComponent(Psf Psf, Box Box, double Weight = 1.0);

/// <summary>
/// The combined PSF of the reference's <c>CoaddPsf</c> as ImageMapReduce builds it (all components
/// share one WCS, so no warping): the kernel at a point is the weighted mean of the unit-sum kernels
/// of the components whose box contains the point (half-open, <c>min − 0.5 ≤ p &lt; max + 0.5</c>),
/// summed on the union of their kernel boxes (zero-filled).
/// </summary>
public sealed class CoaddPsf : Psf
{
    private readonly CoaddPsfComponent[] components;

    /// <exception cref="ArgumentException">No component, or a weight that is negative or not finite.</exception>
    public CoaddPsf(IEnumerable<CoaddPsfComponent> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        this.components = components.ToArray();
        if (this.components.Length == 0) throw new ArgumentException("A CoaddPsf needs at least one component.", nameof(components));
        double wsum = 0, ax = 0, ay = 0;
        foreach (var c in this.components)
        {
            if (!(c.Weight >= 0) || double.IsInfinity(c.Weight))
                throw new ArgumentException($"Component weights must be finite and >= 0, got {c.Weight}.", nameof(components));
            var p = c.Psf.AveragePosition;
            wsum += c.Weight;
            ax += c.Weight * p.X;
            ay += c.Weight * p.Y;
        }
        AveragePosition = wsum > 0 ? new Point2D(ax / wsum, ay / wsum) : new Point2D(double.NaN, double.NaN);
    }

    public IReadOnlyList<CoaddPsfComponent> Components => components;
    public override Point2D AveragePosition { get; }
    public override string Kind => "coadd";

    /// <summary>The components covering <paramref name="position"/>, in order.</summary>
    /// <exception cref="InvalidPsfException">No component covers the point.</exception>
    public IReadOnlyList<CoaddPsfComponent> Select(Point2D position)
    {
        var sel = new List<CoaddPsfComponent>();
        foreach (var c in components)
            if (c.Box.ContainsPoint(position.X, position.Y)) sel.Add(c);
        if (sel.Count == 0)
            throw new InvalidPsfException($"Cannot compute CoaddPsf at point {position}; no input images at that point.");
        return sel;
    }

    public override Image<double> ComputeKernelImage(Point2D position) => Combine(position, (p, pos) => p.ComputeKernelImage(pos));

    public override Image<double> ComputeImage(Point2D position) => Combine(position, (p, pos) => p.ComputeImage(pos));

    private Image<double> Combine(Point2D position, Func<Psf, Point2D, Image<double>> render)
    {
        var sel = Select(position);
        var images = new Image<double>[sel.Count];
        var union = Box.Empty;
        for (int i = 0; i < sel.Count; i++)
        {
            images[i] = render(sel[i].Psf, position);
            union = union.Include(images[i].Box);
        }
        var outImg = new Image<double>(union);
        double wsum = 0;
        for (int i = 0; i < sel.Count; i++)
        {
            var img = images[i];
            double w = sel[i].Weight;
            double s = 0;
            for (int y = img.Box.MinY; y <= img.Box.MaxY; y++)
                foreach (double v in img.Row(y)) s += v;
            double scale = s != 0 ? w / s : w;
            for (int y = img.Box.MinY; y <= img.Box.MaxY; y++)
            {
                var src = img.Row(y);
                var dst = outImg.Row(y).Slice(img.Box.MinX - union.MinX, src.Length);
                for (int k = 0; k < src.Length; k++) dst[k] += scale * src[k];
            }
            wsum += w;
            img.Dispose();
        }
        if (!(wsum > 0))
        {
            outImg.Dispose();
            throw new InvalidPsfException($"Cannot compute CoaddPsf at point {position}: the components covering it all have weight 0.");
        }
        foreach (ref double v in outImg.Pixels) v /= wsum;
        return outImg;
    }
}
