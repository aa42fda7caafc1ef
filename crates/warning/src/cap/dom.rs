//! A minimal element tree read with quick-xml, so that import can look elements up by name in
//! any order and name exactly what is missing. Attributes are not kept: CAP has none.

use quick_xml::events::{BytesRef, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use super::error::CapError;

/// CAP nests five deep; anything far deeper is not CAP and would only cost stack on drop.
const MAX_DEPTH: usize = 32;

#[derive(Debug, Default)]
pub struct Node {
    /// The resolved namespace, if the element has one.
    pub ns: Option<String>,
    pub name: String,
    pub children: Vec<Node>,
    /// The element's own text, entities resolved, untrimmed.
    pub text: String,
}

/// The document's root element.
pub fn parse(xml: &str) -> Result<Node, CapError> {
    let mut reader = NsReader::from_str(xml);
    let mut stack: Vec<Node> = Vec::new();
    let mut root: Option<Node> = None;
    loop {
        let (ns, event) = match reader.read_resolved_event() {
            Ok((ns, event)) => (namespace(ns)?, event),
            Err(e) => {
                let at = reader.error_position();
                return Err(not_xml(format!("{e}（第 {at} 字节附近）")));
            }
        };
        match event {
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(not_xml("元素嵌套过深"));
                }
                stack.push(element(ns, e.local_name().as_ref()));
            }
            Event::Empty(e) => attach(&mut stack, &mut root, element(ns, e.local_name().as_ref()))?,
            Event::End(_) => {
                let node = stack.pop().ok_or_else(|| not_xml("多余的结束标签"))?;
                attach(&mut stack, &mut root, node)?;
            }
            Event::Text(t) => {
                let text = t.xml10_content().map_err(|e| not_xml(e.to_string()))?;
                push_text(&mut stack, &text)?;
            }
            Event::CData(t) => {
                let text = t.xml10_content().map_err(|e| not_xml(e.to_string()))?;
                push_text(&mut stack, &text)?;
            }
            Event::GeneralRef(r) => push_text(&mut stack, &entity(&r)?)?,
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(not_xml("文档不完整，有未结束的元素"));
    }
    root.ok_or_else(|| not_xml("没有根元素"))
}

fn not_xml(detail: impl Into<String>) -> CapError {
    CapError::NotXml(detail.into())
}

fn namespace(ns: ResolveResult<'_>) -> Result<Option<String>, CapError> {
    match ns {
        ResolveResult::Bound(ns) => Ok(Some(String::from_utf8_lossy(ns.as_ref()).into_owned())),
        ResolveResult::Unbound => Ok(None),
        ResolveResult::Unknown(prefix) => Err(not_xml(format!(
            "未声明的命名空间前缀 {}",
            String::from_utf8_lossy(&prefix)
        ))),
    }
}

fn element(ns: Option<String>, local_name: &[u8]) -> Node {
    Node {
        ns,
        name: String::from_utf8_lossy(local_name).into_owned(),
        ..Node::default()
    }
}

fn attach(stack: &mut [Node], root: &mut Option<Node>, node: Node) -> Result<(), CapError> {
    match stack.last_mut() {
        Some(parent) => parent.children.push(node),
        None if root.is_none() => *root = Some(node),
        None => return Err(not_xml("有多个根元素")),
    }
    Ok(())
}

fn push_text(stack: &mut [Node], text: &str) -> Result<(), CapError> {
    match stack.last_mut() {
        Some(node) => node.text.push_str(text),
        None if text.trim().is_empty() => {}
        None => return Err(not_xml("根元素之外有文本")),
    }
    Ok(())
}

/// Character references and the five predefined entities; a DTD's own entities are refused.
fn entity(r: &BytesRef<'_>) -> Result<String, CapError> {
    if let Some(c) = r.resolve_char_ref().map_err(|e| not_xml(e.to_string()))? {
        return Ok(c.to_string());
    }
    let name = r.decode().map_err(|e| not_xml(e.to_string()))?;
    quick_xml::escape::resolve_predefined_entity(&name)
        .map(str::to_owned)
        .ok_or_else(|| not_xml(format!("未知的实体 &{name};")))
}
