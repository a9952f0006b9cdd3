//! Block parameters: a height, or the tags `"latest"` and `"earliest"` as Ethereum clients send.

use serde::de::{self, Visitor};

/// A block by height or by tag: a number, `"latest"` (the head) or `"earliest"` (genesis).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum BlockTag {
    /// The block at this height.
    Height(u64),
    /// A named block.
    Named(BlockName),
}

/// The blocks a tag names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum BlockName {
    /// The head.
    Latest,
    /// Genesis, height 0.
    Earliest,
}

impl BlockTag {
    /// The head.
    pub const LATEST: Self = Self::Named(BlockName::Latest);

    /// The height this names when the head is at `head`.
    pub fn height(self, head: u64) -> u64 {
        match self {
            Self::Height(height) => height,
            Self::Named(BlockName::Latest) => head,
            Self::Named(BlockName::Earliest) => 0,
        }
    }
}

impl std::str::FromStr for BlockTag {
    type Err = String;

    /// A decimal height, `latest` or `earliest` (as command lines take it).
    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "latest" => Ok(Self::LATEST),
            "earliest" => Ok(Self::Named(BlockName::Earliest)),
            _ => text
                .parse()
                .map(Self::Height)
                .map_err(|_| format!("`{text}` is not a block height, latest or earliest")),
        }
    }
}

impl From<u64> for BlockTag {
    fn from(height: u64) -> Self {
        Self::Height(height)
    }
}

impl<'de> serde::Deserialize<'de> for BlockTag {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TagVisitor;

        impl Visitor<'_> for TagVisitor {
            type Value = BlockTag;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(r#"a block height, "latest" or "earliest""#)
            }

            fn visit_u64<E: de::Error>(self, height: u64) -> Result<BlockTag, E> {
                Ok(BlockTag::Height(height))
            }

            fn visit_str<E: de::Error>(self, tag: &str) -> Result<BlockTag, E> {
                match tag {
                    "latest" => Ok(BlockTag::LATEST),
                    "earliest" => Ok(BlockTag::Named(BlockName::Earliest)),
                    "pending" => Err(E::custom(
                        r#""pending" is not served: the node has no pending state (a call without "block" runs as the next block would)"#,
                    )),
                    other => Err(E::invalid_value(de::Unexpected::Str(other), &self)),
                }
            }
        }

        deserializer.deserialize_any(TagVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn heights_and_tags_parse_and_print_back() {
        for (text, tag) in [
            (json!(7), BlockTag::Height(7)),
            (json!("latest"), BlockTag::LATEST),
            (json!("earliest"), BlockTag::Named(BlockName::Earliest)),
        ] {
            assert_eq!(serde_json::from_value::<BlockTag>(text.clone()).unwrap(), tag);
            assert_eq!(serde_json::to_value(tag).unwrap(), text);
        }
        assert_eq!(BlockTag::LATEST.height(9), 9);
        assert_eq!(BlockTag::Named(BlockName::Earliest).height(9), 0);
        assert_eq!(BlockTag::Height(3).height(9), 3);
        assert_eq!("latest".parse(), Ok(BlockTag::LATEST));
        assert_eq!("12".parse(), Ok(BlockTag::Height(12)));
        assert!(
            "-1".parse::<BlockTag>()
                .unwrap_err()
                .contains("not a block height")
        );
    }

    #[test]
    fn anything_else_is_an_error_that_says_what_is_taken() {
        for (bad, says) in [
            (json!("Latest"), r#"a block height, "latest" or "earliest""#),
            (json!(-1), r#"a block height, "latest" or "earliest""#),
            (json!(1.5), r#"a block height, "latest" or "earliest""#),
            (json!("pending"), "no pending state"),
            (json!(null), r#"a block height, "latest" or "earliest""#),
        ] {
            let error = serde_json::from_value::<BlockTag>(bad.clone())
                .unwrap_err()
                .to_string();
            assert!(error.contains(says), "{bad}: {error}");
        }
    }
}
