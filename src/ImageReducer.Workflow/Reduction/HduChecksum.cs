namespace ImageReducer.Workflow.Reduction;

/// <summary>The data checksum of one HDU of an exposure output.</summary>
public sealed record HduChecksum(int Hdu, string Name, uint Datasum);
