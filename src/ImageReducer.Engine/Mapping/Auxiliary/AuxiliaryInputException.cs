using System.Globalization;
using ImageReducer.Engine.Errors;
using ImageReducer.Engine.Imaging;

namespace ImageReducer.Engine.Mapping.Auxiliary;

/// <summary>
/// An auxiliary input cannot be used: not given, not declared by the mapper, of another size or origin than the
/// main exposure, or without a PSF the mapper needs. The factories below are the only way to make one, so every
/// message names the input, the mapper and what was expected.
/// </summary>
public sealed class AuxiliaryInputException : ImageReducerException
{
    private AuxiliaryInputException(ErrorClass errorClass, string code, string input, string message)
        : base(errorClass, code, message) => Input = input;

    /// <summary>The auxiliary input's name.</summary>
    public string Input { get; }

    /// <summary>A required input was not given (<see cref="ErrorClass.Caller"/>, <see cref="ErrorCodes.AuxiliaryInput"/>).</summary>
    public static AuxiliaryInputException Missing(string mapper, AuxiliaryInput input) =>
        new(ErrorClass.Caller, ErrorCodes.AuxiliaryInput, input.Name,
            $"mapper '{mapper}' needs the auxiliary {KindWord(input.Kind)} '{input.Name}' ({input.Description}); give it with --aux {input.Name}=PATH or the request's auxiliary.{input.Name}");

    /// <summary>
    /// The blob or file named for an input does not exist (<see cref="ErrorClass.NotFound"/>, <see cref="ErrorCodes.AuxiliaryInput"/>):
    /// in a night, the exposure whose pattern named it fails, not the night.
    /// </summary>
    public static AuxiliaryInputException NotFound(string mapper, string name, string source) =>
        new(ErrorClass.NotFound, ErrorCodes.AuxiliaryInput, name,
            $"{source}: the auxiliary input '{name}' of mapper '{mapper}' does not exist");

    /// <summary>A name the mapper does not declare (<see cref="ErrorClass.Caller"/>, <see cref="ErrorCodes.AuxiliaryInput"/>).</summary>
    public static AuxiliaryInputException Unknown(string mapper, string name, IReadOnlyList<AuxiliaryInput> declared) =>
        new(ErrorClass.Caller, ErrorCodes.AuxiliaryInput, name, declared.Count == 0
            ? $"mapper '{mapper}' takes no auxiliary input, got '{name}'"
            : $"mapper '{mapper}' has no auxiliary input '{name}'; it takes: {string.Join(", ", declared.Select(d => $"{d.Name} ({KindWord(d.Kind)}{(d.Optional ? ", optional" : "")})"))}");

    /// <summary>An exposure given where a kernel is declared, or the reverse (<see cref="ErrorClass.Caller"/>).</summary>
    public static AuxiliaryInputException WrongKind(string mapper, AuxiliaryInput input) =>
        new(ErrorClass.Caller, ErrorCodes.AuxiliaryInput, input.Name,
            $"mapper '{mapper}': the auxiliary input '{input.Name}' must be {(input.Kind == AuxiliaryKind.Exposure ? "an exposure" : "a kernel")}");

    /// <summary>An exposure on another pixel grid than the main one (<see cref="ErrorClass.UnsuitableInput"/>, <see cref="ErrorCodes.AuxiliaryMismatch"/>).</summary>
    public static AuxiliaryInputException OtherBox(string mapper, string name, string source, Box box, Box expected) =>
        new(ErrorClass.UnsuitableInput, ErrorCodes.AuxiliaryMismatch, name,
            $"{source}: the auxiliary exposure '{name}' of mapper '{mapper}' covers {Describe(box)} but the main exposure covers {Describe(expected)}; " +
            "an auxiliary exposure must have the main exposure's size and origin (xy0)");

    /// <summary>An exposure without the PSF the mapper evaluates (<see cref="ErrorClass.UnsuitableInput"/>, <see cref="ErrorCodes.MissingPsf"/>).</summary>
    public static AuxiliaryInputException NoPsf(string mapper, string name, string source) =>
        new(ErrorClass.UnsuitableInput, ErrorCodes.MissingPsf, name,
            $"{source}: the auxiliary exposure '{name}' has no PSF, and mapper '{mapper}' evaluates its PSF in every cell");

    /// <summary>The main exposure lacks the PSF the mapper evaluates (<see cref="ErrorClass.UnsuitableInput"/>, <see cref="ErrorCodes.MissingPsf"/>).</summary>
    public static AuxiliaryInputException MainWithoutPsf(string mapper) =>
        new(ErrorClass.UnsuitableInput, ErrorCodes.MissingPsf, "",
            $"mapper '{mapper}' evaluates the PSF of the main exposure in every cell, and the exposure has none (give one with --psf)");

    private static string KindWord(AuxiliaryKind kind) => kind == AuxiliaryKind.Exposure ? "exposure" : "kernel";

    private static string Describe(Box b) => string.Create(CultureInfo.InvariantCulture, $"{b.Width}×{b.Height} px at ({b.MinX}, {b.MinY})");
}
