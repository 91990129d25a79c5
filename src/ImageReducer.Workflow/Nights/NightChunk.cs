using ImageReducer.Workflow.Storage;

namespace ImageReducer.Workflow.Nights;

/// <summary>Read the manifest of batch <paramref name="Batch"/> from line <paramref name="Offset"/> (the <c>ReadNightChunk</c> activity).</summary>
/// <param name="Night">The night (its instance id set).</param>
/// <param name="Batch">The batch.</param>
/// <param name="Offset">First manifest line to return.</param>
/// <param name="ByteOffset">Where that line starts in the manifest.</param>
public sealed record NightChunkRequest(NightRequest Night, int Batch, int Offset, long ByteOffset);

/// <summary>Part of a batch manifest, at most <see cref="NightLimits.ChunkBytes"/> serialized.</summary>
/// <param name="Entries">The exposures, with their outputs and whether each is already done.</param>
/// <param name="Next">The line after the last entry.</param>
/// <param name="NextByte">Where line <paramref name="Next"/> starts.</param>
/// <param name="End">True when the manifest has no line at <paramref name="Next"/>.</param>
public sealed record NightChunk(NightChunkEntry[] Entries, int Next, long NextByte, bool End);

/// <summary>One exposure to reduce (or skip).</summary>
/// <param name="Index">Its line in the batch manifest (and the last part of its instance id).</param>
/// <param name="Input">The input blob.</param>
/// <param name="Output">Its output.</param>
/// <param name="InputBytes">The input's listed length.</param>
/// <param name="Done">The output already exists from the same run inputs (and the night does not force): skip it.</param>
/// <param name="Byte">Where its line starts in the manifest (a batch that stops before it resumes there).</param>
public sealed record NightChunkEntry(int Index, BlobPath Input, BlobPath Output, long InputBytes, bool Done, long Byte);
