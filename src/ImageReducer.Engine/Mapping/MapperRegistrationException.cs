using ImageReducer.Engine.Errors;

namespace ImageReducer.Engine.Mapping;

/// <summary>
/// A mapper cannot be registered: a duplicate name, a class without a usable constructor, or a
/// plug-in assembly that cannot be loaded. Configuration errors (unknown name or option) are
/// <see cref="Config.ConfigValidationException"/> instead. A defect of the deployment: <see cref="ErrorClass.Internal"/>.
/// </summary>
public sealed class MapperRegistrationException(string message, Exception? innerException = null)
    : ImageReducerException(ErrorClass.Internal, ErrorCodes.MapperRegistration, message, innerException);
