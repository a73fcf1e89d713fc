// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

using Stickpeer.Protocol.Model;

namespace Stickpeer.Node.Replication;

/// <summary>Walks every entry of a table once for a lesson. Entries changed during the walk may or may not be seen.</summary>
public interface ITableTeachCursor
{
    /// <summary>Reads the next entry (key, values, update id, remaining lifetime in <see cref="DecodedUpdate.ExpireMs"/>); false at the end.</summary>
    bool TryReadNext(DecodedUpdate into);
}
