namespace ImageReducer.Workflow.Reduction;

/// <summary>Whether one input pixel plane's DATASUM/CHECKSUM was verified by the run (in the metadata JSON).</summary>
/// <param name="Hdu">The plane's HDU index in the input (null when the layout was not inspected).</param>
/// <param name="Name">The plane: IMAGE, MASK or VARIANCE.</param>
/// <param name="InputChecksumsVerified">True when every card the plane carries was checked against its whole data unit.</param>
/// <param name="How">How, or why not: <c>tile partial sums</c>, <c>whole-plane read</c>, <c>no checksum cards</c>, or the layout or tile that left it unverified.</param>
public sealed record InputChecksumStatus(int? Hdu, string Name, bool InputChecksumsVerified, string How);
