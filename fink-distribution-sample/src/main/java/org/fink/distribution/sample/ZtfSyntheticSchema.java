package org.fink.distribution.sample;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaBuilder.FieldAssembler;

/**
 * The Avro schema of {@link SyntheticAlerts}: a subset of the ZTF alert schema 3.3, built with
 * {@link SchemaBuilder}. Every field keeps its real name, position order, type and nullability; nullable
 * fields are unions {@code [T, "null"]} (null second, as in ZTF 3.x), with the real schema's default
 * ({@code null}, except {@code candidate.tooflag}: 0) where it declares one.
 */
final class ZtfSyntheticSchema {

  static final String NAMESPACE = "ztf";
  static final String SUB_NAMESPACE = "ztf.alert";

  static final Schema CUTOUT = buildCutout();
  static final Schema CANDIDATE = buildCandidate();
  static final Schema PRV_CANDIDATE = buildPrvCandidate();
  static final Schema ALERT = buildAlert();

  private ZtfSyntheticSchema() {
  }

  private static Schema buildCutout() {
    FieldAssembler<Schema> f = SchemaBuilder.record("cutout").namespace(SUB_NAMESPACE)
        .doc("Image cutout: a gzip-compressed FITS file").fields();
    req(f, "fileName", Schema.Type.STRING, "name of the cutout file");
    req(f, "stampData", Schema.Type.BYTES, "fits.gz");
    return f.endRecord();
  }

  private static Schema buildCandidate() {
    FieldAssembler<Schema> f = SchemaBuilder.record("candidate").namespace(SUB_NAMESPACE)
        .doc("Detection that triggered the alert (subset of ZTF 3.3 candidate)").fields();
    req(f, "jd", Schema.Type.DOUBLE, "Observation Julian date at start of exposure [days]");
    req(f, "fid", Schema.Type.INT, "Filter ID (1=g; 2=R; 3=i)");
    req(f, "pid", Schema.Type.LONG, "Processing ID for science image");
    opt(f, "diffmaglim", Schema.Type.FLOAT, "Expected 5-sigma mag limit in difference image [mag]");
    opt(f, "pdiffimfilename", Schema.Type.STRING, "filename of positive (sci minus ref) difference image");
    opt(f, "programpi", Schema.Type.STRING, "Principal investigator attached to program ID");
    req(f, "programid", Schema.Type.INT, "Program ID: encodes either public, collab, or caltech mode");
    req(f, "candid", Schema.Type.LONG, "Candidate ID from operations DB");
    req(f, "isdiffpos", Schema.Type.STRING, "t => positive (sci minus ref) subtraction; f => negative");
    opt(f, "tblid", Schema.Type.LONG, "Internal pipeline table extraction ID");
    opt(f, "nid", Schema.Type.INT, "Night ID");
    opt(f, "rcid", Schema.Type.INT, "Readout channel ID [00 .. 63]");
    opt(f, "field", Schema.Type.INT, "ZTF field ID");
    opt(f, "xpos", Schema.Type.FLOAT, "x-image position of candidate [pixels]");
    opt(f, "ypos", Schema.Type.FLOAT, "y-image position of candidate [pixels]");
    req(f, "ra", Schema.Type.DOUBLE, "Right Ascension of candidate; J2000 [deg]");
    req(f, "dec", Schema.Type.DOUBLE, "Declination of candidate; J2000 [deg]");
    req(f, "magpsf", Schema.Type.FLOAT, "Magnitude from PSF-fit photometry [mag]");
    req(f, "sigmapsf", Schema.Type.FLOAT, "1-sigma uncertainty in magpsf [mag]");
    opt(f, "chipsf", Schema.Type.FLOAT, "Reduced chi-square for PSF-fit");
    opt(f, "magap", Schema.Type.FLOAT, "Aperture mag using 14 pixel diameter aperture [mag]");
    opt(f, "sigmagap", Schema.Type.FLOAT, "1-sigma uncertainty in magap [mag]");
    opt(f, "distnr", Schema.Type.FLOAT, "distance to nearest source in reference image PSF-catalog [pixels]");
    opt(f, "magnr", Schema.Type.FLOAT, "magnitude of nearest source in reference image PSF-catalog [mag]");
    opt(f, "sigmagnr", Schema.Type.FLOAT, "1-sigma uncertainty in magnr [mag]");
    opt(f, "chinr", Schema.Type.FLOAT, "DAOPhot chi parameter of nearest source in reference image");
    opt(f, "sharpnr", Schema.Type.FLOAT, "DAOPhot sharp parameter of nearest source in reference image");
    opt(f, "sky", Schema.Type.FLOAT, "Local sky background estimate [DN]");
    opt(f, "magdiff", Schema.Type.FLOAT, "Difference: magap - magpsf [mag]");
    opt(f, "fwhm", Schema.Type.FLOAT, "Full Width Half Max assuming a Gaussian core [pixels]");
    opt(f, "classtar", Schema.Type.FLOAT, "Star/Galaxy classification score from SExtractor");
    opt(f, "mindtoedge", Schema.Type.FLOAT, "Distance to nearest edge in image [pixels]");
    opt(f, "magfromlim", Schema.Type.FLOAT, "Difference: diffmaglim - magap [mag]");
    opt(f, "seeratio", Schema.Type.FLOAT, "Ratio: difffwhm / fwhm");
    opt(f, "aimage", Schema.Type.FLOAT, "Windowed profile RMS along major axis [pixels]");
    opt(f, "bimage", Schema.Type.FLOAT, "Windowed profile RMS along minor axis [pixels]");
    opt(f, "aimagerat", Schema.Type.FLOAT, "Ratio: aimage / fwhm");
    opt(f, "bimagerat", Schema.Type.FLOAT, "Ratio: bimage / fwhm");
    opt(f, "elong", Schema.Type.FLOAT, "Ratio: aimage / bimage");
    opt(f, "nneg", Schema.Type.INT, "number of negative pixels in a 5 x 5 pixel stamp");
    opt(f, "nbad", Schema.Type.INT, "number of prior-tagged bad pixels in a 5 x 5 pixel stamp");
    opt(f, "rb", Schema.Type.FLOAT, "RealBogus quality score; range is 0 to 1");
    opt(f, "ssdistnr", Schema.Type.FLOAT, "distance to nearest known solar system object [arcsec]");
    opt(f, "ssmagnr", Schema.Type.FLOAT, "magnitude of nearest known solar system object [mag]");
    opt(f, "ssnamenr", Schema.Type.STRING, "name of nearest known solar system object");
    opt(f, "sumrat", Schema.Type.FLOAT, "Ratio: sum(pixels) / sum(|pixels|) in a 5 x 5 pixel stamp");
    opt(f, "magapbig", Schema.Type.FLOAT, "Aperture mag using 18 pixel diameter aperture [mag]");
    opt(f, "sigmagapbig", Schema.Type.FLOAT, "1-sigma uncertainty in magapbig [mag]");
    req(f, "ranr", Schema.Type.DOUBLE, "Right Ascension of nearest source in reference image; J2000 [deg]");
    req(f, "decnr", Schema.Type.DOUBLE, "Declination of nearest source in reference image; J2000 [deg]");
    opt(f, "sgscore1", Schema.Type.FLOAT, "Star/Galaxy score of closest PS1 source [0 = galaxy, 1 = star]");
    opt(f, "distpsnr1", Schema.Type.FLOAT, "Distance to closest PS1 source [arcsec]");
    req(f, "ndethist", Schema.Type.INT, "Number of spatially-coincident detections (history)");
    req(f, "ncovhist", Schema.Type.INT, "Number of times the position fell on any field/readout channel");
    opt(f, "jdstarthist", Schema.Type.DOUBLE, "Earliest Julian date of detection at this position [days]");
    opt(f, "jdendhist", Schema.Type.DOUBLE, "Latest Julian date of detection at this position [days]");
    opt(f, "scorr", Schema.Type.DOUBLE, "Peak-pixel signal-to-noise ratio in matched-filtered image");
    // ZTF 3.3 gives tooflag the default 0 (not null: 4.02 changed it to null).
    f.name("tooflag").doc("1 => candidate is from a Target-of-Opportunity (ToO) exposure")
        .type(nullSecond(Schema.create(Schema.Type.INT))).withDefault(0);
    req(f, "rbversion", Schema.Type.STRING, "version of RealBogus model used to assign rb");
    opt(f, "drb", Schema.Type.FLOAT, "deep-learning RealBogus score");
    req(f, "drbversion", Schema.Type.STRING, "version of deep-learning RealBogus model used to assign drb");
    return f.endRecord();
  }

  private static Schema buildPrvCandidate() {
    FieldAssembler<Schema> f = SchemaBuilder.record("prv_candidate").namespace(SUB_NAMESPACE)
        .doc("Earlier detection or upper limit at this position (subset of ZTF 3.3 prv_candidate)").fields();
    req(f, "jd", Schema.Type.DOUBLE, "Observation Julian date at start of exposure [days]");
    req(f, "fid", Schema.Type.INT, "Filter ID (1=g; 2=R; 3=i)");
    req(f, "pid", Schema.Type.LONG, "Processing ID for image");
    opt(f, "diffmaglim", Schema.Type.FLOAT, "Expected 5-sigma mag limit in difference image [mag]");
    opt(f, "pdiffimfilename", Schema.Type.STRING, "filename of positive (sci minus ref) difference image");
    opt(f, "programpi", Schema.Type.STRING, "Principal investigator attached to program ID");
    req(f, "programid", Schema.Type.INT, "Program ID: encodes either public, collab, or caltech mode");
    optNoDefault(f, "candid", Schema.Type.LONG, "Candidate ID from operations DB; null for an upper limit");
    optNoDefault(f, "isdiffpos", Schema.Type.STRING, "t => positive subtraction; f => negative");
    opt(f, "nid", Schema.Type.INT, "Night ID");
    opt(f, "rcid", Schema.Type.INT, "Readout channel ID [00 .. 63]");
    opt(f, "field", Schema.Type.INT, "ZTF field ID");
    optNoDefault(f, "ra", Schema.Type.DOUBLE, "Right Ascension of candidate; J2000 [deg]");
    optNoDefault(f, "dec", Schema.Type.DOUBLE, "Declination of candidate; J2000 [deg]");
    optNoDefault(f, "magpsf", Schema.Type.FLOAT, "Magnitude from PSF-fit photometry [mag]");
    optNoDefault(f, "sigmapsf", Schema.Type.FLOAT, "1-sigma uncertainty in magpsf [mag]");
    opt(f, "magap", Schema.Type.FLOAT, "Aperture mag using 14 pixel diameter aperture [mag]");
    opt(f, "sigmagap", Schema.Type.FLOAT, "1-sigma uncertainty in magap [mag]");
    opt(f, "distnr", Schema.Type.FLOAT, "distance to nearest source in reference image PSF-catalog [pixels]");
    opt(f, "magnr", Schema.Type.FLOAT, "magnitude of nearest source in reference image PSF-catalog [mag]");
    opt(f, "sigmagnr", Schema.Type.FLOAT, "1-sigma uncertainty in magnr [mag]");
    opt(f, "fwhm", Schema.Type.FLOAT, "Full Width Half Max assuming a Gaussian core [pixels]");
    opt(f, "rb", Schema.Type.FLOAT, "RealBogus quality score; range is 0 to 1");
    opt(f, "ssnamenr", Schema.Type.STRING, "name of nearest known solar system object");
    optNoDefault(f, "ranr", Schema.Type.DOUBLE, "Right Ascension of nearest source in reference image [deg]");
    optNoDefault(f, "decnr", Schema.Type.DOUBLE, "Declination of nearest source in reference image [deg]");
    opt(f, "scorr", Schema.Type.DOUBLE, "Peak-pixel signal-to-noise ratio in matched-filtered image");
    opt(f, "magzpsci", Schema.Type.FLOAT, "Magnitude zero point for photometry estimates [mag]");
    req(f, "rbversion", Schema.Type.STRING, "version of RealBogus model used to assign rb");
    return f.endRecord();
  }

  private static Schema buildAlert() {
    FieldAssembler<Schema> f = SchemaBuilder.record("alert").namespace(NAMESPACE)
        .doc("Synthetic ZTF-like alert (subset of ZTF alert schema 3.3)").fields();
    req(f, "schemavsn", Schema.Type.STRING, "schema version used");
    req(f, "publisher", Schema.Type.STRING, "origin of alert packet");
    req(f, "objectId", Schema.Type.STRING, "object identifier or name");
    f.name("candid").type(Schema.create(Schema.Type.LONG)).noDefault();
    f.name("candidate").type(CANDIDATE).noDefault();
    f.name("prv_candidates").type(nullSecond(Schema.createArray(PRV_CANDIDATE))).withDefault(null);
    f.name("cutoutScience").type(nullSecond(CUTOUT)).withDefault(null);
    f.name("cutoutTemplate").type(nullSecond(CUTOUT)).withDefault(null);
    f.name("cutoutDifference").type(nullSecond(CUTOUT)).withDefault(null);
    return f.endRecord();
  }

  /** A required field of a primitive type. */
  private static void req(FieldAssembler<Schema> f, String name, Schema.Type type, String doc) {
    f.name(name).doc(doc).type(Schema.create(type)).noDefault();
  }

  /** A nullable field {@code [type, "null"]} with default {@code null}, as most ZTF 3.3 nullable fields. */
  private static void opt(FieldAssembler<Schema> f, String name, Schema.Type type, String doc) {
    // withDefault(null) yields the JSON default null (what the ZTF .avsc files declare).
    f.name(name).doc(doc).type(nullSecond(Schema.create(type))).withDefault(null);
  }

  /** A nullable field without default: ZTF 3.3 declares these in prv_candidate (candid, ra, magpsf, ...). */
  private static void optNoDefault(FieldAssembler<Schema> f, String name, Schema.Type type, String doc) {
    f.name(name).doc(doc).type(nullSecond(Schema.create(type))).noDefault();
  }

  private static Schema nullSecond(Schema type) {
    return Schema.createUnion(type, Schema.create(Schema.Type.NULL));
  }
}
