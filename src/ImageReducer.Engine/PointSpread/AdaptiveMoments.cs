using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.PointSpread;

/// <summary>
/// Adaptive (Gaussian-weighted, iterated, SDSS-style) second moments of a kernel image: a port of
/// meas_base <c>SdssShape</c> <c>getAdaptiveMoments</c>, as the numpy baseline's
/// <c>sdss_adaptive_moments</c> does it.
/// </summary>
/// <remarks>
/// The float32/float64 mix of the C++ is kept where it changes the result: per-pixel offsets,
/// exponents, weights and products are float32, sums are float64, the weighted moments and the
/// convergence tests are float32. Sums are sequential (the baseline's numpy sums are pairwise), so
/// the last bits can differ from the baseline. When the iteration fails (singular weights, the
/// product-of-Gaussians assumption breaks, 100 iterations) the unweighted moments are returned,
/// as SdssShape does with its UNWEIGHTED flag. Allocation-free.
/// </remarks>
public static class AdaptiveMoments
{
    /// <summary>Maximum number of iterations (SdssShape's default).</summary>
    public const int MaxIterations = 100;

    private const float Tol1 = 1.0e-5f; // convergence of e1, e2
    private const float Tol2 = 1.0e-4f; // convergence of sigma11
    private const double FloatEpsilon = 1.1920928955078125e-07; // std::numeric_limits<float>::epsilon()
    private const double InterpolateBelow = 0.25; // weights narrower than 0.5 px are sampled on sub-pixels

    /// <summary>Measures the shape of <paramref name="kernel"/> around its origin (0,0).</summary>
    public static PsfShape Measure(Image<double> kernel) => Measure(kernel, Point2D.Zero);

    /// <summary>Measures the shape of <paramref name="image"/> around <paramref name="center"/> (parent coordinates).</summary>
    /// <exception cref="ArgumentException">The centre is NaN.</exception>
    public static PsfShape Measure(Image<double> image, Point2D center)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (double.IsNaN(center.X) || double.IsNaN(center.Y))
            throw new ArgumentException("Cannot measure adaptive moments around a NaN centre.", nameof(center));
        // The algorithm works in local pixel coordinates (0..W-1), as SdssShape does.
        double xcen = center.X - image.X0, ycen = center.Y - image.Y0;

        double s11W = 1.5, s12W = 0.0, s22W = 1.5; // moments of the weight function
        double w11 = -1, w12 = -1, w22 = -1;        // its inverse (always set in the first iteration)
        float e1Old = 1e6f, e2Old = 1e6f, s11OwOld = 1e6f;
        bool unweighted = false, interpolate = false;
        LocalBox box = default;
        Sums m = default;
        int iter = 0;
        for (; iter < MaxIterations; iter++)
        {
            box = MomentsBox(image, xcen, ycen, s11W, s22W);
            if (!TryInvert(s11W, s12W, s22W, out double detW, out double n11W, out double n12W, out double n22W))
            {
                unweighted = true;
                break;
            }
            double ow11 = w11, ow12 = w12, ow22 = w22;
            (w11, w12, w22) = (n11W, n12W, n22W);
            if (s11W < InterpolateBelow || s22W < InterpolateBelow || detW < InterpolateBelow * InterpolateBelow)
            {
                if (!interpolate)
                {
                    interpolate = true; // stays set for this object
                    if (iter > 0)
                    {
                        s11OwOld = 1e6f; // force at least one more iteration
                        (w11, w12, w22) = (ow11, ow12, ow22);
                        iter--;          // the weights were not updated
                    }
                }
            }

            if (!TryCalcMoments(image, (float)xcen, (float)ycen, box, interpolate, w11, w12, w22, out m))
            {
                unweighted = true;
                break;
            }

            float s11Ow = (float)(m.Sxx / m.S), s22Ow = (float)(m.Syy / m.S), s12Ow = (float)(m.Sxy / m.S);
            if (s11Ow <= 0 || s22Ow <= 0)
            {
                unweighted = true;
                break;
            }
            float d = s11Ow + s22Ow;
            float e1 = (s11Ow - s22Ow) / d;
            float e2 = (float)(2.0 * s12Ow / d);
            if (iter > 0 && MathF.Abs(e1 - e1Old) < Tol1 && MathF.Abs(e2 - e2Old) < Tol1 &&
                Math.Abs((double)(s11Ow / s11OwOld) - 1.0) < Tol2)
                break; // converged
            (e1Old, e2Old, s11OwOld) = (e1, e2, s11Ow);

            // The inverse covariances of Gaussians add: object⁻¹ ≈ (weighted object)⁻¹ − weight⁻¹.
            if (!TryInvert(s11Ow, s12Ow, s22Ow, out _, out double o11, out double o12, out double o22))
            {
                unweighted = true;
                break;
            }
            float n11 = (float)(o11 - w11), n12 = (float)(o12 - w12), n22 = (float)(o22 - w22);
            if (!TryInvert(n11, n12, n22, out _, out s11W, out s12W, out s22W))
            {
                unweighted = true; // the product-of-Gaussians assumption failed
                break;
            }
            if (s11W <= 0 || s22W <= 0)
            {
                unweighted = true;
                break;
            }
        }
        if (iter == MaxIterations || m.Sxx + m.Syy == 0.0) unweighted = true;
        if (unweighted)
        {
            if (!TryCalcMoments(image, (float)xcen, (float)ycen, box, interpolate, 0, 0, 0, out m) || m.S <= 0)
                return new PsfShape(1 / 12.0, 1 / 12.0, 0); // a single pixel
            return new PsfShape(m.Sxx / m.S, m.Syy / m.S, m.Sxy / m.S);
        }
        return new PsfShape(s11W, s22W, s12W);
    }

    /// <summary>SdssShape's <c>getWeights</c>: the inverse of a covariance, failing when it is (nearly) singular.</summary>
    private static bool TryInvert(double s11, double s12, double s22, out double det, out double i11, out double i12, out double i22)
    {
        i11 = i12 = i22 = double.NaN;
        det = double.NaN;
        if (double.IsNaN(s11) || double.IsNaN(s12) || double.IsNaN(s22)) return false;
        det = s11 * s22 - s12 * s12;
        if (double.IsNaN(det) || det < FloatEpsilon) return false;
        (i11, i12, i22) = (s22 / det, -s12 / det, s11 / det);
        return true;
    }

    /// <summary>Box of ±4 weight sigmas around the centre (Box2I(Box2D, EXPAND)), clipped to the image (local coordinates).</summary>
    private static LocalBox MomentsBox(Image<double> image, double xcen, double ycen, double s11W, double s22W)
    {
        double radius = Math.Min(4 * Math.Sqrt(Math.Max(s11W, s22W)), 1000.0);
        int x0 = (int)Math.Ceiling(xcen - radius - 0.5), x1 = (int)Math.Floor(xcen + radius + 0.5);
        int y0 = (int)Math.Ceiling(ycen - radius - 0.5), y1 = (int)Math.Floor(ycen + radius + 0.5);
        return new LocalBox(Math.Max(x0, 0), Math.Max(y0, 0), Math.Min(x1, image.Width - 1), Math.Min(y1, image.Height - 1));
    }

    /// <summary>SdssShape's <c>calcmom</c> (background 0). False when the sums say the moments are unusable.</summary>
    private static bool TryCalcMoments(Image<double> image, float xcen, float ycen, LocalBox box, bool interpolate,
        double w11, double w12, double w22, out Sums m)
    {
        m = default;
        if (double.IsNaN(w11) || double.IsNaN(w12) || double.IsNaN(w22)) return false;
        if (box.X0 > box.X1 || box.Y0 > box.Y1) return false;
        double sum = 0, sumx = 0, sumy = 0, sumxx = 0, sumxy = 0, sumyy = 0;
        for (int i = box.Y0; i <= box.Y1; i++)
        {
            var row = image.RowAt(i);
            float y = i - ycen;
            float y2 = y * y;
            float yl = (float)(y - 0.375), yh = (float)(y + 0.375);
            for (int j = box.X0; j <= box.X1; j++)
            {
                float x = j - xcen;
                if (interpolate)
                {
                    // Narrow weights: sample a 4×4 sub-pixel grid if any corner of the pixel is within 3 sigma.
                    float xl = (float)(x - 0.375), xh = (float)(x + 0.375);
                    float expon = (float)(xl * xl * w11 + yl * yl * w22 + 2.0 * xl * yl * w12);
                    float tmp = (float)(xh * xh * w11 + yh * yh * w22 + 2.0 * xh * yh * w12);
                    expon = expon > tmp ? expon : tmp;
                    tmp = (float)(xl * xl * w11 + yh * yh * w22 + 2.0 * xl * yh * w12);
                    expon = expon > tmp ? expon : tmp;
                    tmp = (float)(xh * xh * w11 + yl * yl * w22 + 2.0 * xh * yl * w12);
                    expon = expon > tmp ? expon : tmp;
                    if (expon <= 9.0f)
                    {
                        float tmod = (float)row[j];
                        for (float yy = yl; yy <= yh; yy += 0.25f)
                        {
                            double iy2 = yy * yy;
                            for (float xx = xl; xx <= xh; xx += 0.25f)
                            {
                                double ix2 = xx * xx;
                                double ixy = xx * yy;
                                float e = (float)(ix2 * w11 + 2 * ixy * w12 + iy2 * w22);
                                float weight = (float)Math.Exp(-0.5 * e);
                                float ymod = tmod * weight;
                                sum += ymod;
                                sumx += ymod * (xx + xcen);
                                sumy += ymod * (yy + ycen);
                                sumxx += ix2 * ymod;
                                sumxy += ixy * ymod;
                                sumyy += iy2 * ymod;
                            }
                        }
                    }
                }
                else
                {
                    float x2 = x * x;
                    float xy = x * y;
                    float expon = (float)(x2 * w11 + (2f * xy) * w12 + y2 * w22);
                    if (expon <= 14.0f)
                    {
                        float weight = (float)Math.Exp(-0.5 * expon);
                        float tmod = (float)row[j];
                        float ymod = tmod * weight;
                        sum += ymod;
                        sumx += ymod * j;
                        sumy += ymod * i;
                        sumxx += x2 * ymod;
                        sumxy += xy * ymod;
                        sumyy += y2 * ymod;
                    }
                }
            }
        }
        m = new Sums(sum, sumx, sumy, sumxx, sumxy, sumyy);
        return sum > 0 && sumxx > 0 && sumyy > 0;
    }

    private readonly record struct LocalBox(int X0, int Y0, int X1, int Y1);

    private readonly record struct Sums(double S, double Sx, double Sy, double Sxx, double Sxy, double Syy);
}
