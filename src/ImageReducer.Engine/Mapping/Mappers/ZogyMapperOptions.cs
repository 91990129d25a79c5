using System.ComponentModel;
using ImageReducer.Engine.Config;

namespace ImageReducer.Engine.Mapping.Mappers;

/// <summary>Options of <see cref="ZogyMapper"/>: LSST's <c>ZogyConfig</c> fields that apply per cell, and the mapper's <c>doScorr</c> argument.</summary>
public sealed record ZogyMapperOptions : IMapperOptions
{
    /// <summary>The options' JSON form (<see cref="MapperOptionsForm"/>).</summary>
    internal static MapperOptionsForm JsonForm { get; } = MapperOptionsForm.Of<ZogyMapperOptions>(
        JsonFields.Bool<ZogyMapperOptions>(nameof(DoScorr), o => o.DoScorr, (o, v) => o with { DoScorr = v }),
        JsonFields.Number<ZogyMapperOptions>(nameof(TemplateFluxScaling), o => o.TemplateFluxScaling, (o, v) => o with { TemplateFluxScaling = v }),
        JsonFields.Number<ZogyMapperOptions>(nameof(ScienceFluxScaling), o => o.ScienceFluxScaling, (o, v) => o with { ScienceFluxScaling = v }),
        JsonFields.Bool<ZogyMapperOptions>(nameof(DoFilterPsfs), o => o.DoFilterPsfs, (o, v) => o with { DoFilterPsfs = v }),
        JsonFields.Strings<ZogyMapperOptions>(nameof(IgnoreMaskPlanes), o => o.IgnoreMaskPlanes, (o, v) => o with { IgnoreMaskPlanes = v! }, acceptsNull: false));

    /// <summary>Return the score image S (ZOGY eq. 12, its variance plane the denominator of eq. 25) instead of the difference D.</summary>
    [Description("Return the likelihood (score) image S instead of the proper difference image D.")]
    public bool DoScorr { get; init; }

    /// <summary>Template flux scaling (F_r in the ZOGY paper). Must be &gt; 0.</summary>
    [Description("Template flux scaling factor (Fr in the ZOGY paper).")]
    public double TemplateFluxScaling { get; init; } = 1.0;

    /// <summary>Science flux scaling (F_n in the ZOGY paper). Must be &gt; 0.</summary>
    [Description("Science flux scaling factor (Fn in the ZOGY paper).")]
    public double ScienceFluxScaling { get; init; } = 1.0;

    /// <summary>Filter measured (41 × 41, PSFEx-like) PSFs: negative values and a 10-pixel rim set to zero, renormalised.</summary>
    [Description("Filter 41x41 measured PSFs (negatives and a 10-pixel rim zeroed) before use.")]
    public bool DoFilterPsfs { get; init; } = true;

    /// <summary>Mask planes left out of the sigma-clipped variance means.</summary>
    [Description("Mask planes to ignore for the sigma-clipped variance means.")]
    public IReadOnlyList<string> IgnoreMaskPlanes { get; init; } = DecorrelateALMapperOptions.DefaultIgnoreMaskPlanes;

    /// <inheritdoc/>
    public void Validate()
    {
        ConfigGuard.Positive(TemplateFluxScaling, "mapper.templateFluxScaling");
        ConfigGuard.Positive(ScienceFluxScaling, "mapper.scienceFluxScaling");
        DiffimCell.ValidateIgnoreMaskPlanes(IgnoreMaskPlanes);
    }

    public bool Equals(ZogyMapperOptions? other) => other is not null && DoScorr == other.DoScorr && DoFilterPsfs == other.DoFilterPsfs &&
        TemplateFluxScaling.Equals(other.TemplateFluxScaling) && ScienceFluxScaling.Equals(other.ScienceFluxScaling) &&
        IgnoreMaskPlanes.SequenceEqual(other.IgnoreMaskPlanes);

    public override int GetHashCode() => HashCode.Combine(DoScorr, DoFilterPsfs, TemplateFluxScaling, ScienceFluxScaling, IgnoreMaskPlanes.Count);
}
