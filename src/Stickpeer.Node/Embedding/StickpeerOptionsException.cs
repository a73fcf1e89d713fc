// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Embedding;

/// <summary><see cref="StickpeerOptions"/> that cannot run; the message lists every problem.</summary>
public sealed class StickpeerOptionsException : Exception
{
    /// <summary>Creates the exception for the problems found.</summary>
    public StickpeerOptionsException(IReadOnlyList<string> errors)
        : base("invalid Stickpeer options: " + string.Join("; ", errors ?? []))
    {
        Errors = errors ?? [];
    }

    /// <summary>Creates the exception with a message.</summary>
    public StickpeerOptionsException()
        : this([])
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public StickpeerOptionsException(string message)
        : base(message)
    {
        Errors = [message];
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public StickpeerOptionsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    /// <summary>Each problem, a sentence naming the option.</summary>
    public IReadOnlyList<string> Errors { get; }
}
