/**
 * Not API: implementation classes that Fink's own modules share (schema path lookup and merging, schema evolution
 * checks, value ordering, edit distance). They may change or
 * disappear in any release; the release Javadoc leaves this package out.
 */
package org.fink.distribution.internal;
