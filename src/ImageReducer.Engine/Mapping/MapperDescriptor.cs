using System.Reflection;
using System.Runtime.ExceptionServices;

namespace ImageReducer.Engine.Mapping;

/// <summary>A registered mapper: its name, description, options and how to construct it.</summary>
/// <remarks>Immutable; safe to share between threads.</remarks>
public sealed class MapperDescriptor
{
    private readonly Func<IMapperOptions?, IMapper> factory;

    private readonly Lazy<IReadOnlyList<MapperOptionInfo>> options;

    private readonly Lazy<MapperOptionsForm?> optionsForm;

    internal MapperDescriptor(string name, string description, Type? mapperType, Type? optionsType,
        IReadOnlyList<MapperOptionInfo> options, Func<IMapperOptions?, IMapper> factory)
        : this(name, description, mapperType, optionsType, new Lazy<IReadOnlyList<MapperOptionInfo>>(options), factory)
    {
    }

    /// <summary>A descriptor whose options are described on first use (the built-in mappers: a run binds one of them).</summary>
    internal MapperDescriptor(string name, string description, Type? mapperType, Type? optionsType,
        Lazy<IReadOnlyList<MapperOptionInfo>> options, Func<IMapperOptions?, IMapper> factory)
    {
        Name = name;
        Description = description;
        MapperType = mapperType;
        OptionsType = optionsType;
        this.options = options;
        this.factory = factory;
        optionsForm = new Lazy<MapperOptionsForm?>(() => optionsType is null ? null : MapperOptionsForm.Find(optionsType));
    }

    /// <summary>The registered name (<c>mapper.name</c>).</summary>
    public string Name { get; }

    /// <summary>One line describing the mapper.</summary>
    public string Description { get; }

    /// <summary>The mapper class, or null for a mapper registered with a factory.</summary>
    public Type? MapperType { get; }

    /// <summary>The options record, or null when the mapper takes no options.</summary>
    public Type? OptionsType { get; }

    /// <summary>The options in declaration order (empty when <see cref="OptionsType"/> is null).</summary>
    public IReadOnlyList<MapperOptionInfo> Options => options.Value;

    /// <summary>The field table of a built-in mapper's options (bound without reflection), or null (plug-ins, no options).</summary>
    internal MapperOptionsForm? OptionsForm => optionsForm.Value;

    /// <summary>Runs the factory; exceptions thrown by a reflected constructor surface unwrapped.</summary>
    internal IMapper Construct(IMapperOptions? options)
    {
        try
        {
            return factory(options) ?? throw new MapperRegistrationException($"The factory of mapper '{Name}' returned null.");
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw; // unreachable: Throw() always throws
        }
    }

    public override string ToString() => OptionsType is null ? Name : $"{Name}({string.Join(", ", Options.Select(o => o.Name))})";
}
