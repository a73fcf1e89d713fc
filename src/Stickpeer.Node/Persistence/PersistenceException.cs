// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Persistence;

/// <summary>
/// The data directory cannot be used: a damaged or newer-format file, a directory that cannot be
/// written, a full disk, or a directory held by another process. The message names the file
/// (and the offset for damage); nothing on disk was changed by the failed attempt.
/// </summary>
public sealed class PersistenceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PersistenceException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception without a message.</summary>
    public PersistenceException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public PersistenceException(string message)
        : base(message)
    {
    }
}
