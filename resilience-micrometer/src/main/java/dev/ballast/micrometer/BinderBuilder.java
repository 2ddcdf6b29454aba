package dev.ballast.micrometer;

import static dev.ballast.micrometer.Preconditions.notNull;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings every binder's builder takes: extra tags on every meter, refusing the keys the
 * binder sets itself.
 *
 * <p>Not thread-safe: confine a builder to one thread.
 *
 * @param <B> the public builder, which every setter returns
 */
abstract class BinderBuilder<B extends BinderBuilder<B>> {
  private final String binder;
  private final List<String> reserved;
  private Tags tags = Tags.empty();

  /**
   * @param binder the binder's simple class name, for messages
   * @param reserved the keys the binder sets itself; {@code name} is always among them
   */
  BinderBuilder(String binder, List<String> reserved) {
    this.binder = binder;
    this.reserved = reserved;
  }

  /** This builder, as the public type. */
  abstract B self();

  /** Builds the binder; it registers nothing until it is bound. */
  abstract Binder build();

  /**
   * Adds a tag to every meter. The keys the binder sets itself, listed in its description, are
   * refused.
   *
   * @param key the tag key
   * @param value the tag value
   * @return this builder
   * @throws IllegalArgumentException when the key is reserved
   * @throws NullPointerException when the key or the value is null
   */
  public final B tag(String key, String value) {
    checkKey(notNull("key", key));
    this.tags = this.tags.and(Tag.of(key, notNull("value", value)));
    return self();
  }

  /**
   * Adds tags to every meter; see {@link #tag(String, String)} for the reserved keys. Either every
   * tag is added or, when one is refused, none.
   *
   * @param tags the tags
   * @return this builder
   * @throws IllegalArgumentException when a key is reserved
   * @throws NullPointerException when {@code tags}, one of its elements, or an element's key or
   *     value is null; the message names the element ({@code tags[2] must not be null})
   */
  public final B tags(Iterable<Tag> tags) {
    notNull("tags", tags);
    List<Tag> checked = new ArrayList<>();
    for (Tag tag : tags) {
      String at = "tags[" + checked.size() + "]";
      notNull(at, tag);
      checkKey(notNull(at + ".key", tag.getKey()));
      notNull(at + ".value", tag.getValue());
      checked.add(tag);
    }
    this.tags = this.tags.and(checked);
    return self();
  }

  /** The tags added so far, and the component's name in the {@code name} tag. */
  final Tags tagsWithName(String name) {
    return tags.and("name", name);
  }

  private String checkKey(String key) {
    if (reserved.contains(key)) {
      throw new IllegalArgumentException(
          "tag key is reserved by " + binder + " " + reserved + ", was " + key);
    }
    return key;
  }
}
