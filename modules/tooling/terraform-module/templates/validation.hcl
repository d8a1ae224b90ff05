  validation {
    condition     = {{condition}}
    error_message = {{message}}
  }
