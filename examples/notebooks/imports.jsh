// Fink's public API in jshell: loaded by `bin/fink notebook` (and first by rules.jsh)
import static org.fink.distribution.rules.Rules.*;
import java.nio.file.*;
import java.time.*;
import java.util.*;
import org.apache.spark.sql.*;
import org.fink.distribution.config.*;
import org.fink.distribution.rules.*;
import org.fink.distribution.rules.xml.RulesXml;
import org.fink.distribution.spark.*;
