// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Node.Configuration.Keywords;

/// <summary>What Stickpeer does with a keyword HAProxy knows. A keyword missing from its table is an error, as in HAProxy.</summary>
public enum KeywordSupport
{
    /// <summary>Stickpeer acts on it.</summary>
    Implemented,

    /// <summary>Accepted and skipped with a warning that says what is ignored.</summary>
    Ignored,

    /// <summary>Known, but ignoring it would silently weaken the setup (e.g. TLS on the admin socket): an error.</summary>
    Refused,
}
