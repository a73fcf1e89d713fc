// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Tables.Admin;

/// <summary>Which HAProxy's <c>show table</c> entry line to print.</summary>
public enum ShowTableFormat
{
    /// <summary>HAProxy 2.6: <c>0x…: key=K use=U exp=MS name=value …</c>.</summary>
    Haproxy26,

    /// <summary>
    /// HAProxy 2.7 to 3.4: <c>0x…: key=K use=U exp=MS shard=S name=value …</c>
    /// (<c>shard=</c> was added in 2.7, upstream 16b282f4b).
    /// </summary>
    Haproxy3,
}
