// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Tables.Engine;

/// <summary>Why an entry left a table (for metrics).</summary>
internal enum RemovalReason
{
    /// <summary>Its expiry passed.</summary>
    Expired,

    /// <summary>Purged to make room in a full table.</summary>
    Evicted,

    /// <summary>Deleted on request (clear table).</summary>
    Cleared,
}
