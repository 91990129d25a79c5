using System.Text.Json;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Workflow.Reduction;

/// <summary>The side result of one cell, reported by the tile that owns it.</summary>
/// <param name="Index">The cell's grid index.</param>
/// <param name="PsfBox">The box of the cell's PSF component (result box), when it has a PSF.</param>
/// <param name="Psf">
/// <see cref="TileCells.InputPsf"/> when the result carries the input's own PSF object (the common case,
/// stored once), else the PSF file bytes (Base64) written by the engine's PSF writer; null without a PSF.
/// </param>
/// <param name="Value">The cell's value for <c>none</c> (its JSON form in the results list), or null.</param>
public sealed record OwnedCell(int Index, Box? PsfBox, string? Psf, JsonElement? Value);
