using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Fits;

/// <summary>
/// Maps the data-quality bits of foreign layouts to the reference's mask planes (tables documented
/// in docs/fits-layout.md). DQ bits not listed are ignored.
/// </summary>
public sealed class DataQualityMap
{
    private readonly (int DqBit, string Plane)[] entries;

    private DataQualityMap(params (int, string)[] entries) => this.entries = entries;

    /// <summary>HST (WFC3/ACS) DQ flags.</summary>
    public static DataQualityMap Hst { get; } = new(
        (1, "BAD"),          // Reed-Solomon decoding error
        (2, "NO_DATA"),      // data replaced by fill value
        (4, "BAD"),          // bad detector pixel
        (8, "SUSPECT"),      // deviant bias / masked by aperture feature
        (16, "BAD"),         // hot pixel
        (32, "SUSPECT"),     // CTE tail / unstable
        (64, "SUSPECT"),     // warm pixel
        (128, "BAD"),        // bad column in bias
        (256, "SAT"),        // full-well saturation
        (512, "SUSPECT"),    // bad or uncertain flat value
        (1024, "BAD"),       // charge trap
        (2048, "SAT"),       // A-to-D saturation
        (4096, "CR"),        // cosmic ray (AstroDrizzle)
        (8192, "CR"),        // cosmic ray (CR-SPLIT combination)
        (16384, "SUSPECT")); // ghost or crosstalk

    /// <summary>Gemini (DRAGONS) DQ flags.</summary>
    public static DataQualityMap Gemini { get; } = new(
        (1, "BAD"),          // bad pixel
        (2, "SUSPECT"),      // non-linear
        (4, "SAT"),          // saturated
        (8, "CR"),           // cosmic ray
        (16, "NO_DATA"),     // no data
        (64, "NO_DATA"));    // unilluminated

    /// <summary>(DQ bit value, mask plane name) pairs.</summary>
    public IReadOnlyList<(int DqBit, string Plane)> Entries => entries;

    /// <summary>Rewrites <paramref name="pixels"/> in place from DQ values to mask values of <paramref name="planes"/>.</summary>
    public void Apply(Image<int> pixels, MaskPlaneDictionary planes)
    {
        var lut = entries.Select(e => (Dq: e.DqBit, Mask: 1 << planes.Add(e.Plane))).ToArray();
        for (int j = 0; j < pixels.Height; j++)
            foreach (ref int v in pixels.RowAt(j))
            {
                if (v == 0) continue;
                int m = 0;
                foreach (var (dq, mask) in lut)
                    if ((v & dq) != 0) m |= mask;
                v = m;
            }
    }
}
