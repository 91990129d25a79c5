using ImageReducer.Engine.Fits;
using ImageReducer.Engine.Mapping.Auxiliary;
using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Reduction;

/// <summary>One auxiliary input of a planned run, as the plan records it: each tile reads its band of it at this version.</summary>
/// <param name="Name">The mapper's name for it (<c>template</c>).</param>
/// <param name="Kind">An exposure cut to each cell, or a kernel read whole.</param>
/// <param name="Path">The blob.</param>
/// <param name="ETag">The version planned; tiles refuse another.</param>
/// <param name="Size">Its length in bytes.</param>
/// <param name="Format">The exposure's FITS layout (<see cref="ExposureFormat.Auto"/> for a kernel).</param>
public sealed record AuxiliaryBlob(string Name, AuxiliaryKind Kind, BlobPath Path, string ETag, long Size, ExposureFormat Format);
