namespace ImageReducer.Engine.Fits;

/// <summary>
/// Reads and writes exposure files. Writing uses the reference's layout (spec §7, docs/fits-layout.md):
/// an empty primary with the metadata, IMAGE / MASK / VARIANCE extensions and, when the exposure has
/// one, the PSF table; every HDU carries DATASUM and CHECKSUM. The same exposure always gives the
/// same bytes. Reading accepts that layout and the HST (SCI/ERR/DQ), Gemini (SCI/VAR/DQ) and plain
/// primary-image layouts (<see cref="ExposureFormat"/>).
/// </summary>
/// <remarks>Stateless and thread-safe; each call owns its stream or file.</remarks>
public static partial class ExposureFits
{
}
