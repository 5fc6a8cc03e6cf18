/**
 * Not API: schema delivery and pre-flight checks before publishing, shared by Fink's own modules. They may change or
 * disappear in any release; the release Javadoc leaves this package out.
 */
package org.fink.distribution.internal;
