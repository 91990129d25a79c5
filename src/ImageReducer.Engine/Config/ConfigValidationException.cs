using ImageReducer.Engine.Errors;

namespace ImageReducer.Engine.Config;

/// <summary>
/// A configuration value is invalid (<see cref="ErrorClass.Caller"/>, <see cref="ErrorCodes.InvalidConfig"/>).
/// <see cref="Field"/> is the JSON field name (dotted for nested fields).
/// </summary>
public sealed class ConfigValidationException(string field, string message)
    : ImageReducerException(ErrorClass.Caller, ErrorCodes.InvalidConfig, message)
{
    /// <summary>The JSON field at fault, dotted for nested fields (<c>mapper.addAmount</c>).</summary>
    public string Field { get; } = field;
}

/// <summary>Checks that throw <see cref="ConfigValidationException"/> with messages naming the JSON field.</summary>
public static class ConfigGuard
{
    /// <summary>"cellSizeX must be > 0, got -3".</summary>
    public static void Positive(double value, string field)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ConfigValidationException(field, double.IsFinite(value)
                ? FormattableString.Invariant($"{field} must be > 0, got {value}")
                : FormattableString.Invariant($"{field} must be a finite number > 0, got {value}"));
    }

    public static void Finite(double value, string field)
    {
        if (!double.IsFinite(value))
            throw new ConfigValidationException(field, FormattableString.Invariant($"{field} must be a finite number, got {value}"));
    }

    public static void Defined<TEnum>(TEnum value, string field) where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
            throw new ConfigValidationException(field, $"{field} has no value {value}; allowed: {string.Join(", ", Enum.GetNames<TEnum>().Select(ConfigJson.EnumName))}");
    }
}
