//! A reader for the Go composite literals the upstream limits tables are written in: a
//! `var NAME = map[string]T{ "key": { Field: value, ... }, ... }` declaration, read into a small
//! tree of values. It knows only what such tables hold (strings, whole numbers, identifiers such
//! as `true`, nested composite literals with or without a type in front, comments), and names the
//! line of anything else.

use std::fmt;

/// A value of a composite literal.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A string literal, unquoted.
    Str(String),
    /// A whole number.
    Int(i64),
    /// An identifier or qualified identifier (`true`, `false`, `ec2types.Foo`).
    Ident(String),
    /// A composite literal `{ ... }` (its type, if written, dropped), with the line it opens on.
    Composite(Vec<Element>, usize),
}

/// One element of a composite literal: `key: value`, or a value alone.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    /// The key (a map key, or a struct field's name as an identifier).
    pub key: Option<Value>,
    /// The value.
    pub value: Value,
    /// The line the element starts on.
    pub line: usize,
}

/// A fault in the Go source, at a line.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for SyntaxError {}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Str(String),
    Int(i64),
    Ident(String),
    Punct(char),
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Str(s) => write!(f, "string {s:?}"),
            Token::Int(n) => write!(f, "number {n}"),
            Token::Ident(i) => write!(f, "{i}"),
            Token::Punct(c) => write!(f, "'{c}'"),
        }
    }
}

/// Splits Go source into tokens with their lines; comments and blanks are dropped.
fn tokens(source: &str) -> Result<Vec<(Token, usize)>, SyntaxError> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    let error = |line, message: String| SyntaxError { line, message };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '\n' => {
                line += 1;
                i += 1;
            }
            c if c.is_whitespace() => i += 1,
            '/' if next == Some('/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if next == Some('*') => {
                let start = line;
                i += 2;
                loop {
                    match (chars.get(i), chars.get(i + 1)) {
                        (Some('*'), Some('/')) => break i += 2,
                        (Some(c), _) => {
                            line += usize::from(*c == '\n');
                            i += 1;
                        }
                        (None, _) => return Err(error(start, "unterminated comment".into())),
                    }
                }
            }
            '"' => {
                let start = line;
                let mut text = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        Some('"') => break i += 1,
                        Some('\\') => {
                            let escaped = match chars.get(i + 1) {
                                Some('n') => '\n',
                                Some('t') => '\t',
                                Some(c @ ('"' | '\\')) => *c,
                                other => {
                                    return Err(error(line, format!("unknown escape \\{other:?}")));
                                }
                            };
                            text.push(escaped);
                            i += 2;
                        }
                        Some('\n') | None => {
                            return Err(error(start, "unterminated string".into()));
                        }
                        Some(c) => {
                            text.push(*c);
                            i += 1;
                        }
                    }
                }
                out.push((Token::Str(text), start));
            }
            '`' => {
                let start = line;
                let end = chars[i + 1..]
                    .iter()
                    .position(|&c| c == '`')
                    .ok_or_else(|| error(start, "unterminated raw string".into()))?;
                let text: String = chars[i + 1..i + 1 + end].iter().collect();
                line += text.matches('\n').count();
                out.push((Token::Str(text), start));
                i += end + 2;
            }
            c if c.is_ascii_digit() || (c == '-' && next.is_some_and(|n| n.is_ascii_digit())) => {
                let start = i;
                i += 1;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '_') {
                    i += 1;
                }
                let text: String = chars[start..i].iter().filter(|&&c| c != '_').collect();
                let n = text
                    .parse()
                    .map_err(|_| error(line, format!("not a whole number: {text}")))?;
                out.push((Token::Int(n), line));
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                out.push((Token::Ident(chars[start..i].iter().collect()), line));
            }
            '{' | '}' | '[' | ']' | '(' | ')' | ':' | ',' | '.' | '&' | '*' | '=' | ';' => {
                out.push((Token::Punct(c), line));
                i += 1;
            }
            other => return Err(error(line, format!("unexpected character {other:?}"))),
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<(Token, usize)>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at).map(|(t, _)| t)
    }

    fn peek_at(&self, ahead: usize) -> Option<&Token> {
        self.tokens.get(self.at + ahead).map(|(t, _)| t)
    }

    fn line(&self) -> usize {
        self.tokens
            .get(self.at)
            .or(self.tokens.last())
            .map_or(1, |(_, l)| *l)
    }

    fn fail<T>(&self, message: impl Into<String>) -> Result<T, SyntaxError> {
        Err(SyntaxError {
            line: self.line(),
            message: message.into(),
        })
    }

    fn next(&mut self) -> Result<Token, SyntaxError> {
        match self.tokens.get(self.at) {
            Some((t, _)) => {
                self.at += 1;
                Ok(t.clone())
            }
            None => self.fail("unexpected end of file"),
        }
    }

    fn expect(&mut self, c: char) -> Result<(), SyntaxError> {
        match self.next()? {
            Token::Punct(p) if p == c => Ok(()),
            other => {
                self.at -= 1;
                self.fail(format!("expected '{c}', found {other}"))
            }
        }
    }

    /// A type: `T`, `pkg.T`, `*T`, `[]T`, `[N]T`, `map[K]V`.
    fn skip_type(&mut self) -> Result<(), SyntaxError> {
        match self.next()? {
            Token::Punct('*') => self.skip_type(),
            Token::Punct('[') => {
                if !matches!(self.peek(), Some(Token::Punct(']'))) {
                    self.next()?;
                }
                self.expect(']')?;
                self.skip_type()
            }
            Token::Ident(m) if m == "map" => {
                self.expect('[')?;
                self.skip_type()?;
                self.expect(']')?;
                self.skip_type()
            }
            Token::Ident(_) => {
                if matches!(self.peek(), Some(Token::Punct('.'))) {
                    self.next()?;
                    match self.next()? {
                        Token::Ident(_) => {}
                        other => return self.fail(format!("expected a type name, found {other}")),
                    }
                }
                Ok(())
            }
            other => {
                self.at -= 1;
                self.fail(format!("expected a type, found {other}"))
            }
        }
    }

    /// A value: a literal, an identifier, or a composite literal with or without its type.
    fn value(&mut self) -> Result<Value, SyntaxError> {
        match self.peek() {
            Some(Token::Str(_)) | Some(Token::Int(_)) => match self.next()? {
                Token::Str(s) => Ok(Value::Str(s)),
                Token::Int(n) => Ok(Value::Int(n)),
                _ => unreachable!("peeked"),
            },
            Some(Token::Punct('{')) => self.composite(),
            Some(Token::Punct('&')) => {
                self.next()?;
                self.value()
            }
            Some(Token::Punct('[' | '*')) => {
                self.skip_type()?;
                self.composite()
            }
            Some(Token::Ident(name)) if name == "map" => {
                self.skip_type()?;
                self.composite()
            }
            Some(Token::Ident(_)) => {
                let mut name = match self.next()? {
                    Token::Ident(n) => n,
                    _ => unreachable!("peeked"),
                };
                if matches!(self.peek(), Some(Token::Punct('.')))
                    && matches!(self.peek_at(1), Some(Token::Ident(_)))
                {
                    self.next()?;
                    if let Token::Ident(tail) = self.next()? {
                        name = format!("{name}.{tail}");
                    }
                }
                if matches!(self.peek(), Some(Token::Punct('{'))) {
                    self.composite()
                } else {
                    Ok(Value::Ident(name))
                }
            }
            Some(other) => {
                let other = other.clone();
                self.fail(format!("expected a value, found {other}"))
            }
            None => self.fail("unexpected end of file"),
        }
    }

    /// `{ element, element, ... }`, a trailing comma allowed.
    fn composite(&mut self) -> Result<Value, SyntaxError> {
        let opened = self.line();
        self.expect('{')?;
        let mut elements = Vec::new();
        loop {
            if matches!(self.peek(), Some(Token::Punct('}'))) {
                self.next()?;
                return Ok(Value::Composite(elements, opened));
            }
            let line = self.line();
            let first = self.value()?;
            let element = if matches!(self.peek(), Some(Token::Punct(':'))) {
                self.next()?;
                Element {
                    key: Some(first),
                    value: self.value()?,
                    line,
                }
            } else {
                Element {
                    key: None,
                    value: first,
                    line,
                }
            };
            elements.push(element);
            match self.peek() {
                Some(Token::Punct(',')) => {
                    self.next()?;
                }
                Some(Token::Punct('}')) => {}
                Some(other) => {
                    let other = other.clone();
                    return self.fail(format!("expected ',' or '}}', found {other}"));
                }
                None => {
                    return self.fail(format!("the literal opened on line {opened} is not closed"));
                }
            }
        }
    }
}

/// The value assigned to the package-level variable `name` (`var name = ...` or
/// `var name T = ...`), read as a composite literal.
pub fn variable(source: &str, name: &str) -> Result<Value, SyntaxError> {
    let tokens = tokens(source)?;
    let start = tokens
        .windows(2)
        .position(|w| w[0].0 == Token::Ident("var".into()) && w[1].0 == Token::Ident(name.into()))
        .ok_or_else(|| SyntaxError {
            line: 1,
            message: format!("no `var {name}` declaration"),
        })?;
    let mut parser = Parser {
        tokens,
        at: start + 2,
    };
    if !matches!(parser.peek(), Some(Token::Punct('='))) {
        parser.skip_type()?;
    }
    parser.expect('=')?;
    let value = parser.value()?;
    match value {
        Value::Composite(..) => Ok(value),
        other => parser.fail(format!("`{name}` is not a composite literal: {other:?}")),
    }
}

impl Value {
    /// The elements of a composite literal.
    pub fn elements(&self) -> Option<&[Element]> {
        match self {
            Value::Composite(elements, _) => Some(elements),
            _ => None,
        }
    }

    /// A struct literal's field by name.
    pub fn field(&self, name: &str) -> Option<&Value> {
        self.elements()?
            .iter()
            .find(|e| matches!(&e.key, Some(Value::Ident(k)) if k == name))
            .map(|e| &e.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &str = r#"
// A comment with a "quote" and a { brace.
package limits

/* A block comment,
   over two lines. */
var other = map[string]int{"x": 1}

var table = map[string]*Limits{
	"m9.large": {
		Enis:  3, // trailing comment
		Cards: []Card{
			{Max: 3, Index: 0},
		},
		Kind:  "nitro",
		Metal: false,
	},
	"m9.metal": &Limits{Enis: 1_5, Cards: nil, Kind: ``, Metal: true, Mode: pkg.ModeA},
}
"#;

    #[test]
    fn reads_a_map_of_struct_literals() {
        let table = variable(TABLE, "table").unwrap();
        let elements = table.elements().unwrap();
        assert_eq!(elements.len(), 2);
        assert_eq!(elements[0].key, Some(Value::Str("m9.large".into())));
        assert_eq!(elements[0].line, 10);
        let large = &elements[0].value;
        assert_eq!(large.field("Enis"), Some(&Value::Int(3)));
        assert_eq!(large.field("Kind"), Some(&Value::Str("nitro".into())));
        assert_eq!(large.field("Metal"), Some(&Value::Ident("false".into())));
        let cards = large.field("Cards").unwrap().elements().unwrap();
        assert_eq!(cards[0].value.field("Max"), Some(&Value::Int(3)));
        let metal = &elements[1].value;
        assert_eq!(metal.field("Enis"), Some(&Value::Int(15)));
        assert_eq!(metal.field("Kind"), Some(&Value::Str(String::new())));
        assert_eq!(metal.field("Mode"), Some(&Value::Ident("pkg.ModeA".into())));
        assert_eq!(metal.field("Cards"), Some(&Value::Ident("nil".into())));
        assert_eq!(
            variable(TABLE, "other").unwrap().elements().unwrap().len(),
            1
        );
    }

    #[test]
    fn faults_name_their_line() {
        let e = variable("var t = map[string]int{\n\"a\": 1\n\"b\": 2}", "t").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.message.contains("expected ',' or '}'"), "{e}");
        let e = variable("var t = map[string]int{\n\"a\": 1,\n", "t").unwrap_err();
        assert!(
            e.message.contains("not closed") || e.message.contains("end of file"),
            "{e}"
        );
        let e = variable("var t = map[string]int{\"a\n\": 1}", "t").unwrap_err();
        assert_eq!((e.line, e.message.as_str()), (1, "unterminated string"));
        let e = variable("var u = 1", "t").unwrap_err();
        assert!(e.message.contains("no `var t`"), "{e}");
    }
}
