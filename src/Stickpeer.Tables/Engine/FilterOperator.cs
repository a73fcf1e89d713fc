// Copyright (c) Stickpeer contributors. Licensed under the MIT License.

namespace Stickpeer.Tables.Engine;

/// <summary>Comparison of a data filter (<c>data.&lt;type&gt; &lt;op&gt; &lt;value&gt;</c>).</summary>
public enum FilterOperator
{
    /// <summary>Equal.</summary>
    Eq,

    /// <summary>Not equal.</summary>
    Ne,

    /// <summary>Less or equal.</summary>
    Le,

    /// <summary>Greater or equal.</summary>
    Ge,

    /// <summary>Less than.</summary>
    Lt,

    /// <summary>Greater than.</summary>
    Gt,
}
