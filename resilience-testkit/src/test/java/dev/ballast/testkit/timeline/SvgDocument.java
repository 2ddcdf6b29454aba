package dev.ballast.testkit.timeline;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** A timeline picture parsed with the JDK's XML parser, and the elements tests look for. */
final class SvgDocument {
  static final String SVG_NS = "http://www.w3.org/2000/svg";

  final Document document;

  private SvgDocument(Document document) {
    this.document = document;
  }

  /** Parses the picture; fails on anything that is not well-formed, namespaced XML. */
  static SvgDocument parse(String svg) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    return new SvgDocument(
        factory
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8))));
  }

  Element root() {
    return document.getDocumentElement();
  }

  /** The lane group of that name. */
  Element lane(String name) {
    for (Element g : elements(root(), "g")) {
      if (g.getAttribute("class").equals("lane") && g.getAttribute("data-lane").equals(name)) {
        return g;
      }
    }
    throw new AssertionError("no lane named '" + name + "'");
  }

  List<Element> lanes() {
    List<Element> lanes = new ArrayList<>();
    for (Element g : elements(root(), "g")) {
      if (g.getAttribute("class").equals("lane")) {
        lanes.add(g);
      }
    }
    return lanes;
  }

  /** The elements of that tag under {@code parent} whose class list holds {@code cls}. */
  static List<Element> withClass(Element parent, String tag, String cls) {
    List<Element> found = new ArrayList<>();
    for (Element e : elements(parent, tag)) {
      if (List.of(e.getAttribute("class").split(" ")).contains(cls)) {
        found.add(e);
      }
    }
    return found;
  }

  static List<Element> elements(Element parent, String tag) {
    NodeList nodes = parent.getElementsByTagNameNS(SVG_NS, tag);
    List<Element> list = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      list.add((Element) nodes.item(i));
    }
    return list;
  }

  static double number(Element e, String attribute) {
    return Double.parseDouble(e.getAttribute(attribute));
  }

  static long nanos(Element e, String attribute) {
    return Long.parseLong(e.getAttribute(attribute));
  }

  /** Where the renderer draws a time, given the picture's end. */
  static double expectedX(long atNanos, long endNanos) {
    return SvgFrame.PLOT_LEFT + (double) atNanos * SvgFrame.PLOT_WIDTH / endNanos;
  }
}
