/** JMH micro-benchmarks of the hot paths: encoding and decoding alerts, evaluating rules on an alert. */
package org.fink.distribution.bench.micro;
