namespace ImageReducer.Engine.Mapping;

/// <summary>
/// Registers an <see cref="IMapper"/> under a name (the <c>mapper.name</c> of the configuration).
/// The class has either a public parameterless constructor or one public constructor taking its
/// options type, a record implementing <see cref="IMapperOptions"/> whose JSON names are the
/// camelCase option names (<c>addAmount</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class MapperNameAttribute(string name) : Attribute
{
    /// <summary>The registered name, e.g. <c>add</c>.</summary>
    public string Name { get; } = name;

    /// <summary>One line describing the mapper (shown by the CLI).</summary>
    public string Description { get; init; } = "";
}

/// <summary>Typed options of a mapper, bound from <c>MapperConfig.Options</c>.</summary>
public interface IMapperOptions
{
    /// <summary>Checks the options; throws <c>ConfigValidationException</c> naming the field as <c>mapper.&lt;option&gt;</c>.</summary>
    void Validate();
}
