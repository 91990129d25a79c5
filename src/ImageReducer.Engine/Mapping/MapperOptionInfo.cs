namespace ImageReducer.Engine.Mapping;

/// <summary>One option of a mapper, for help output and error messages.</summary>
/// <param name="Name">The JSON (camelCase) name, e.g. <c>addAmount</c>.</param>
/// <param name="Type">The CLR type of the option property.</param>
/// <param name="ExpectedType">What the JSON value must be, in words ("a number", "true or false").</param>
/// <param name="DefaultJson">The default value as compact JSON, or null when the option has no default (required).</param>
/// <param name="Description">The property's <see cref="System.ComponentModel.DescriptionAttribute"/> text, or empty.</param>
/// <param name="AcceptsNull">Whether JSON <c>null</c> is a valid value (a nullable property).</param>
public sealed record MapperOptionInfo(string Name, Type Type, string ExpectedType, string? DefaultJson, string Description, bool AcceptsNull);
