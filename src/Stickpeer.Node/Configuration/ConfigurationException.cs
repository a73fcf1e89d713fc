// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Configuration;

/// <summary>A configuration error that stops start-up; the message reads <c>file:line: reason</c>.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException()
    {
    }

    public ConfigurationException(string message)
        : base(message)
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ConfigurationException(ConfigLocation location, string reason)
        : base($"{location}: {reason}")
    {
        Location = location;
        Reason = reason;
    }

    /// <summary>Where the error is, when it is tied to a line.</summary>
    public ConfigLocation? Location { get; }

    /// <summary>The message without its location.</summary>
    public string Reason { get; } = string.Empty;
}
